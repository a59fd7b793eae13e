namespace Funnel.EndToEndTests;

/// <summary>Lead search in the seed's own language: any case, with or without diacritics, each word a prefix.</summary>
public class SearchTests(FunnelApp funnel)
{
    [Fact(Timeout = 120_000)]
    public async Task A_lead_is_found_by_any_word_start_in_any_case_with_or_without_diacritics()
    {
        var owner = Api.Unique("szuka");
        var salesperson = funnel.GatewayAs(owner);
        var polish = await CaptureAsync(salesperson, "Łukasz Żółć", "Zakład Świętokrzyski", "lukasz.zolc");
        var other = await CaptureAsync(salesperson, "Ada Lovelace", "Analytical Engines", "ada");

        foreach (var search in new[] { "Łukasz", "łukasz", "ŁUKASZ", "Żółć", "żółć", "lukasz zolc", "ZOLC lukasz", "łuk",
                     "Łu Żó", "swietokrz", "Świętokrzyski zakład", "lukasz.zolc" })
        {
            Assert.Equal([polish], await FoundAsync(salesperson, search));
        }
        Assert.Equal([other], await FoundAsync(salesperson, "ada LOVE analytic"));
        // Each word starts a word: not its middle, and every word of the search must be found.
        Assert.Empty(await FoundAsync(salesperson, "ukasz"));
        Assert.Empty(await FoundAsync(salesperson, "łukasz lovelace"));
        // A renamed lead is found by its new name only.
        var read = await salesperson.GetAsync($"/api/leads/{other}", Api.Cancel);
        await (await salesperson.Patch($"/api/leads/{other}", new { name = "Grace Hopper" }, read.Headers.ETag!.Tag))
            .Json(HttpStatusCode.OK);
        Assert.Equal([other], await FoundAsync(salesperson, "grace"));
        Assert.Empty(await FoundAsync(salesperson, "lovelace"));
    }

    private static async Task<string> CaptureAsync(HttpClient salesperson, string name, string company, string mailbox)
    {
        var lead = await (await salesperson.Post("/api/leads", new
        {
            name,
            company,
            email = $"{mailbox}@{Api.Unique("firma")}.example",
            source = "web",
        })).Json(HttpStatusCode.Created);
        return lead["contactId"]!.GetValue<string>();
    }

    private static async Task<string[]> FoundAsync(HttpClient salesperson, string search)
    {
        var page = await (await salesperson.GetAsync($"/api/leads?search={Uri.EscapeDataString(search)}", Api.Cancel))
            .Json(HttpStatusCode.OK);
        return page["items"]!.AsArray().Select(l => l!["contactId"]!.GetValue<string>()).Order().ToArray();
    }
}
