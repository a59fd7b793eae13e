namespace Funnel.EndToEndTests;

/// <summary>The gateway's own routes: health over every service, and the API documentation of each.</summary>
public class GatewayTests(FunnelApp funnel)
{
    private readonly HttpClient _gateway = funnel.Gateway;

    [Fact(Timeout = 60_000)]
    public async Task Health_reports_every_service()
    {
        var health = await (await _gateway.GetAsync("/health", Api.Cancel)).Json(HttpStatusCode.OK);

        Assert.Equal("Healthy", health["status"]!.GetValue<string>());
        Assert.Superset(new HashSet<string> { "leads", "qualification", "quoting", "orders", "pipeline" },
            health["checks"]!.AsObject().Select(c => c.Key).ToHashSet());
    }

    [Theory(Timeout = 60_000)]
    [InlineData("leads", "/api/leads/{contactId}/qualify")]
    [InlineData("qualification", "/api/qualification/{contactId}/credit-check")]
    [InlineData("quoting", "/api/quoting/{contactId}/quotes/{quoteId}/accept")]
    [InlineData("orders", "/api/sales")]
    [InlineData("pipeline", "/api/pipeline/contacts/{contactId}")]
    public async Task Each_services_OpenAPI_document_is_served_by_the_gateway(string service, string path)
    {
        var document = await (await _gateway.GetAsync($"/openapi/{service}.json", Api.Cancel)).Json(HttpStatusCode.OK);

        Assert.NotNull(document["paths"]![path]);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_API_reference_is_browsable()
    {
        using var response = await _gateway.GetAsync("/scalar", Api.Cancel);

        response.EnsureSuccessStatusCode();
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
