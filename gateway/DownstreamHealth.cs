using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Funnel.Gateway;

/// <summary>The gateway is ready when every service behind it is: its /health asks each service's /health.</summary>
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
                HealthStatus.Unhealthy, ["ready"]));
        }
    }

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
