using Yarp.ReverseProxy.Configuration;

namespace Funnel.Gateway;

/// <summary>
/// The public API, service by service: the gateway's routes and clusters are made from this one list, so a service's
/// paths are written once. Cluster addresses are service names resolved by service discovery, which balances across a
/// service's replicas.
/// </summary>
public static class PublicRoutes
{
    public sealed record Service(string Name, params string[] Paths);

    public static readonly IReadOnlyList<Service> Services =
    [
        new("leads", "/api/leads", "/api/contacts"),
        new("qualification", "/api/qualification"),
        new("quoting", "/api/quoting"),
        new("orders", "/api/orders", "/api/customers", "/api/sales"),
        new("pipeline", "/api/pipeline"),
    ];

    /// <summary>An import's CSV may be this large; every other body is held to <see cref="BodyLimit.DefaultMaxBytes"/>.</summary>
    public const long ImportMaxBytes = 32 * 1024 * 1024;

    /// <summary>
    /// Each service's paths, for a caller with a token (the fallback policy) and rate limited per user, and the import
    /// with its larger body. The services' OpenAPI documents are not routed: the gateway joins them (ApiDocument).
    /// </summary>
    public static IReadOnlyList<RouteConfig> Routes() =>
    [
        .. Services.SelectMany(service => service.Paths.Select(path => new RouteConfig
        {
            RouteId = path.TrimStart('/').Replace('/', '-'),
            ClusterId = service.Name,
            Match = new RouteMatch { Path = path + "/{**rest}" },
            RateLimiterPolicy = EdgePolicies.PerUser,
        })),
        new RouteConfig
        {
            RouteId = "api-leads-import",
            ClusterId = "leads",
            Match = new RouteMatch { Path = "/api/leads/import", Methods = ["POST"] },
            RateLimiterPolicy = EdgePolicies.PerUser,
            MaxRequestBodySize = ImportMaxBytes,
        },
    ];

    public static IReadOnlyList<ClusterConfig> Clusters() =>
    [
        .. Services.Select(service => new ClusterConfig
        {
            ClusterId = service.Name,
            Destinations = new Dictionary<string, DestinationConfig>
            {
                [service.Name] = new() { Address = $"http://{service.Name}" },
            },
        }),
    ];
}
