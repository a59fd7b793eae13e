using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Funnel.Gateway;

/// <summary>
/// An overview of the services behind the gateway (<c>/health/services</c>): each service's /health, asked at most
/// every few seconds whoever calls, so anonymous callers cannot fan out to every database. The gateway's own
/// readiness (<c>/health</c>) does not depend on it: an orchestrator must not take the entry away for one stage.
/// </summary>
internal static class DownstreamHealth
{
    public static void AddDownstreamHealthChecks(this IHostApplicationBuilder builder, IEnumerable<string> services)
    {
        var checks = builder.Services.AddHealthChecks();
        foreach (var service in services)
        {
            builder.Services.AddHttpClient(HealthClient(service), client =>
            {
                client.BaseAddress = new Uri($"http://{service}");
                client.Timeout = TimeSpan.FromSeconds(5);
            });
            checks.Add(new HealthCheckRegistration(service,
                provider => new ServiceHealthCheck(provider.GetRequiredService<IHttpClientFactory>(), service),
                HealthStatus.Unhealthy, [Extensions.OverviewTag]));
        }
    }

    public const string OverviewPath = "/health/services";

    public static void MapDownstreamHealth(this WebApplication app) =>
        app.MapHealthChecks(OverviewPath, new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(Extensions.OverviewTag),
            ResponseWriter = Extensions.WriteHealth,
        })
            .CacheOutput(cache => cache.Expire(TimeSpan.FromSeconds(5)))
            .AllowAnonymous();

    private static string HealthClient(string service) => $"health-{service}";

    private sealed class ServiceHealthCheck(IHttpClientFactory clients, string service) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context,
            CancellationToken cancellationToken = default)
        {
            try
            {
                using var response = await clients.CreateClient(HealthClient(service))
                    .GetAsync(Extensions.HealthPath, cancellationToken);
                return response.IsSuccessStatusCode
                    ? HealthCheckResult.Healthy()
                    : HealthCheckResult.Unhealthy($"{service} answers {(int)response.StatusCode} on /health.");
            }
            catch (HttpRequestException ex)
            {
                return HealthCheckResult.Unhealthy($"{service} does not answer.", ex);
            }
        }
    }
}
