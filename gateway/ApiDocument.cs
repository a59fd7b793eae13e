using System.Text.Json;
using System.Text.Json.Nodes;

namespace Funnel.Gateway;

/// <summary>
/// The one public OpenAPI document (<c>/openapi/v1.json</c>): every service's own document, fetched through service
/// discovery and joined, then completed with what the edge and the shared conventions add: the gateway as the server,
/// the bearer scheme, the answers every route can give (400, 401, 403, 404, 409, 412, 428, 429 as ProblemDetails),
/// the headers (ETag, If-Match, Idempotency-Key, Idempotent-Replayed, Retry-After, Location), one described tag per
/// stage and an example for each request body. Only the public paths of <see cref="PublicRoutes"/> are in it. Kept for a
/// minute, so anonymous callers cannot fan out to the services.
/// </summary>
internal sealed class ApiDocument(IHttpClientFactory clients, ILogger<ApiDocument> logger)
{
    public const string Path = "/openapi/v1.json";
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (JsonObject Document, DateTimeOffset At)? _kept;

    public static void AddClients(IServiceCollection services)
    {
        foreach (var service in PublicRoutes.Services)
        {
            services.AddHttpClient(Client(service.Name), client =>
            {
                client.BaseAddress = new Uri($"http://{service.Name}");
                client.Timeout = TimeSpan.FromSeconds(10);
            });
        }
    }

    public async Task<IResult> GetAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var document = await JoinedAsync(cancellationToken);
        if (document is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The API document is not available", detail: "A service did not give its part; try again shortly.");
        }
        var copy = document.DeepClone().AsObject();
        copy["servers"] = new JsonArray(new JsonObject
        {
            ["url"] = $"{request.Scheme}://{request.Host}",
            ["description"] = "This gateway",
        });
        return Results.Text(copy.ToJsonString(Indented), "application/json");
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private async Task<JsonObject?> JoinedAsync(CancellationToken cancellationToken)
    {
        if (_kept is { } kept && DateTimeOffset.UtcNow - kept.At < KeepFor)
        {
            return kept.Document;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_kept is { } fresh && DateTimeOffset.UtcNow - fresh.At < KeepFor)
            {
                return fresh.Document;
            }
            var parts = new List<(PublicRoutes.Service, JsonObject)>();
            foreach (var service in PublicRoutes.Services)
            {
                try
                {
                    var text = await clients.CreateClient(Client(service.Name)).GetStringAsync("/openapi/v1.json", cancellationToken);
                    parts.Add((service, JsonNode.Parse(text)!.AsObject()));
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
                {
                    logger.LogWarning(ex, "The API document of {Service} could not be read.", service.Name);
                    return _kept?.Document;
                }
            }
            var joined = PublicApi.Join(parts);
            _kept = (joined, DateTimeOffset.UtcNow);
            return joined;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static string Client(string service) => $"openapi-{service}";
}
