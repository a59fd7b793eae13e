namespace Funnel.EndToEndTests;

/// <summary>Takes a fresh contact to a given stage through the public API, as a salesperson would.</summary>
internal sealed class Contacts(HttpClient gateway)
{
    public static string ValidUntil => DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd");

    public async Task<string> Lead(string owner)
    {
        var lead = await (await gateway.Post("/api/leads", new
        {
            name = "Ada Lovelace",
            company = "Analytical Engines",
            email = $"{Api.Unique("ada")}@engines.example",
            source = "convention",
            owner,
        })).Json(HttpStatusCode.Created);
        return lead["contactId"]!.GetValue<string>();
    }

    public async Task<string> QualifiedLead(string owner)
    {
        var id = await Lead(owner);
        await (await gateway.Post($"/api/leads/{id}/qualify")).Json(HttpStatusCode.Accepted);
        await gateway.Eventually($"/api/qualification/{id}");
        return id;
    }

    public async Task<string> Prospect(string owner)
    {
        var id = await QualifiedLead(owner);
        await (await gateway.Post($"/api/qualification/{id}/interactions", new { kind = "call", summary = "Intro call" }))
            .Json(HttpStatusCode.Created);
        await (await gateway.Post($"/api/qualification/{id}/interest", new { interested = true, notes = "Wants a demo" }))
            .Json(HttpStatusCode.OK);
        var credit = await (await gateway.Post($"/api/qualification/{id}/credit-check",
            new { requestedLimit = new { amount = 20000, currency = "EUR" } })).Json(HttpStatusCode.OK);
        Assert.True(credit["approved"]!.GetValue<bool>());
        await (await gateway.Post($"/api/qualification/{id}/promote")).Json(HttpStatusCode.Accepted);
        await gateway.Eventually($"/api/quoting/{id}");
        return id;
    }

    /// <summary>A draft quote of 2 x 1234.50 EUR less 10% (2222.10 EUR); returns its id.</summary>
    public async Task<string> DraftQuote(string contactId)
    {
        var quote = await (await gateway.Post($"/api/quoting/{contactId}/quotes", new
        {
            currency = "EUR",
            validUntil = ValidUntil,
            lines = new[] { new { sku = "AE-1", description = "Difference engine", quantity = 2, unitPrice = 1234.50m, discountPercent = 10 } },
        })).Json(HttpStatusCode.Created);
        return quote["quoteId"]!.GetValue<string>();
    }
}
