namespace Funnel.EndToEndTests;

/// <summary>The gateway's own routes: its health, the overview of the services', and the API documentation of each.</summary>
public class GatewayTests(FunnelApp funnel)
{
    private readonly HttpClient _gateway = funnel.Gateway;

    [Fact(Timeout = 60_000)]
    public async Task Health_is_the_gateways_own_and_the_overview_reports_every_service()
    {
        // Readiness of the entry itself: one stage's trouble must not take it away from an orchestrator.
        var health = await (await _gateway.GetAsync("/health", Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.Equal("Healthy", health["status"]!.GetValue<string>());
        Assert.DoesNotContain("leads", health["checks"]!.AsObject().Select(c => c.Key));

        using var anonymous = funnel.GatewayAs(null);
        var overview = await (await anonymous.GetAsync("/health/services", Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.Equal("Healthy", overview["status"]!.GetValue<string>());
        Assert.Equal(new HashSet<string> { "leads", "qualification", "quoting", "orders", "pipeline" },
            overview["checks"]!.AsObject().Select(c => c.Key).ToHashSet());
        // Cached: anonymous callers cannot make the gateway ask every service (and so every database) at will.
        using var again = await anonymous.GetAsync("/health/services", Api.Cancel);
        Assert.True(again.Headers.Age is not null || again.Headers.TryGetValues("Age", out _),
            "The overview's second answer did not come from the cache.");
    }

    [Fact(Timeout = 60_000)]
    public async Task The_API_reference_is_browsable()
    {
        using var response = await _gateway.GetAsync("/scalar", Api.Cancel);

        response.EnsureSuccessStatusCode();
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
