namespace Funnel.EndToEndTests;

/// <summary>The stages' rules through the gateway: duplicates, quote versions, one order per quote, edits, reopening.</summary>
public class StageRulesTests(FunnelApp funnel)
{
    private readonly HttpClient _gateway = funnel.Gateway;
    private readonly Contacts _contacts = new(funnel.Gateway);

    [Fact(Timeout = 120_000)]
    public async Task Racing_captures_of_the_same_person_make_one_lead()
    {
        var email = $"{Api.Unique("race")}@example.com";

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            _gateway.Post("/api/leads", new { name = $"Racer {i}", email = i % 2 == 0 ? email : email.ToUpperInvariant() })));

        var created = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        var id = (await created.Json(HttpStatusCode.Created))["contactId"]!.GetValue<string>();
        foreach (var refused in answers.Where(a => a != created))
        {
            var problem = await refused.Problem(HttpStatusCode.Conflict);
            Assert.Equal(id, problem["existingContactId"]!.GetValue<string>());
        }
    }

    [Fact(Timeout = 180_000)]
    public async Task A_quote_beyond_the_approved_credit_waits_for_a_new_credit_check()
    {
        var prospect = await _contacts.Prospect(Api.Unique("credit")); // 20,000 EUR approved
        async Task<string> Quote(string currency, decimal price) => (await (await _gateway.Post($"/api/quoting/{prospect}/quotes", new
        {
            currency,
            validUntil = Contacts.ValidUntil,
            lines = new[] { new { sku = "BIG", description = "Engine", quantity = 1, unitPrice = price, discountPercent = 0 } },
        })).Json(HttpStatusCode.Created))["quoteId"]!.GetValue<string>();

        var dollars = await Quote("USD", 100m);
        var refused = await (await _gateway.Post($"/api/quoting/{prospect}/quotes/{dollars}/send")).Problem(HttpStatusCode.Conflict);
        Assert.Equal(["within-credit-limit"], refused["unmet"].Strings());
        var big = await Quote("EUR", 25_000m);
        refused = await (await _gateway.Post($"/api/quoting/{prospect}/quotes/{big}/send")).Problem(HttpStatusCode.Conflict);
        Assert.Equal(["within-credit-limit"], refused["unmet"].Strings());
        Assert.Equal("quoting-2", refused["gateVersion"]!.GetValue<string>());

        // Qualification checks the promoted prospect's credit again; the raised limit reaches Quoting.
        var check = await (await _gateway.Post($"/api/qualification/{prospect}/credit-check",
            new { requestedLimit = new { amount = 30000, currency = "EUR" } })).Json(HttpStatusCode.OK);
        Assert.True(check["approved"]!.GetValue<bool>());
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpResponseMessage sent;
        while ((sent = await _gateway.Post($"/api/quoting/{prospect}/quotes/{big}/send")).StatusCode == HttpStatusCode.Conflict &&
               DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, Api.Cancel);
        }
        await sent.Json(HttpStatusCode.OK);
        await (await _gateway.Post($"/api/quoting/{prospect}/quotes/{big}/accept")).Json(HttpStatusCode.Accepted);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_new_quote_version_supersedes_the_sent_one_which_can_no_longer_be_accepted()
    {
        var prospect = await _contacts.Prospect(Api.Unique("rep"));
        var first = await _contacts.DraftQuote(prospect);
        await (await _gateway.Post($"/api/quoting/{prospect}/quotes/{first}/send")).Json(HttpStatusCode.OK);
        var second = await _contacts.DraftQuote(prospect);

        var blocked = await (await _gateway.Post($"/api/quoting/{prospect}/quotes/{first}/accept")).Problem(HttpStatusCode.Conflict);
        Assert.Equal(["quote-current"], blocked["unmet"].Strings());

        await (await _gateway.Post($"/api/quoting/{prospect}/quotes/{second}/send")).Json(HttpStatusCode.OK);
        await (await _gateway.Post($"/api/quoting/{prospect}/quotes/{second}/accept")).Json(HttpStatusCode.Accepted);

        var opportunity = await (await _gateway.GetAsync($"/api/quoting/{prospect}", Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.Equal("won", opportunity["status"]!.GetValue<string>());
        Assert.Equal([(1, "superseded"), (2, "accepted")], opportunity["quotes"]!.AsArray()
            .Select(q => (q!["version"]!.GetValue<int>(), q["status"]!.GetValue<string>())));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_repeated_acceptance_makes_one_order_and_the_customer_can_refer_new_leads()
    {
        var owner = Api.Unique("rep");
        var prospect = await _contacts.Prospect(owner);
        var quote = await _contacts.DraftQuote(prospect);
        await (await _gateway.Post($"/api/quoting/{prospect}/quotes/{quote}/send")).Json(HttpStatusCode.OK);

        var accepts = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            _gateway.Post($"/api/quoting/{prospect}/quotes/{quote}/accept")));
        var again = await _gateway.Post($"/api/quoting/{prospect}/quotes/{quote}/accept");

        Assert.Single(accepts, a => a.StatusCode == HttpStatusCode.Accepted);
        Assert.All(accepts.Append(again).Where(a => a.StatusCode != HttpStatusCode.Accepted),
            a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
        await _gateway.Eventually($"/api/customers/{prospect}");
        var orders = await (await _gateway.GetAsync($"/api/orders?owner={owner}", Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.Equal(1, orders["total"]!.GetValue<int>());

        // Leads learns the customer from OrderPlaced; then, and only then, it may refer a lead.
        var unknownReferrer = await (await _gateway.Post("/api/leads", new
        {
            name = "Referred",
            email = $"{Api.Unique("ref")}@example.com",
            source = "referral",
            referredBy = Guid.NewGuid(),
        })).Problem(HttpStatusCode.BadRequest);
        Assert.NotNull(unknownReferrer["errors"]!["referredBy"]);
        var referred = await Eventually201(() => _gateway.Post("/api/leads", new
        {
            name = "Referred",
            email = $"{Api.Unique("ref")}@example.com",
            source = "referral",
            referredBy = prospect,
        }));
        Assert.Equal(prospect, referred["referredBy"]!.GetValue<string>());
    }

    [Fact(Timeout = 120_000)]
    public async Task An_edit_needs_the_current_ETag()
    {
        var id = await _contacts.Lead(Api.Unique("rep"));
        using var read = await _gateway.GetAsync($"/api/leads/{id}", Api.Cancel);
        var etag = read.Headers.ETag!.ToString();

        await (await _gateway.Patch($"/api/leads/{id}", new { company = "No ETag" }, null)).Problem((HttpStatusCode)428);
        var changed = await (await _gateway.Patch($"/api/leads/{id}", new { company = "Babbage & Co", owner = "bob" }, etag))
            .Json(HttpStatusCode.OK);
        var stale = await (await _gateway.Patch($"/api/leads/{id}", new { company = "Lost update" }, etag)).Problem(HttpStatusCode.PreconditionFailed);
        var unknownField = await (await _gateway.Patch($"/api/leads/{id}", new { status = "qualified" }, "*")).Problem(HttpStatusCode.BadRequest);

        Assert.Equal(("Babbage & Co", "bob"), (changed["company"]!.GetValue<string>(), changed["owner"]!.GetValue<string>()));
        Assert.Contains("ETag", stale["detail"]!.GetValue<string>());
        Assert.NotNull(unknownField["errors"]!["status"]);
        var now = await (await _gateway.GetAsync($"/api/leads/{id}", Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.Equal("Babbage & Co", now["company"]!.GetValue<string>());
    }

    [Fact(Timeout = 120_000)]
    public async Task A_lost_lead_can_be_reopened_and_its_journey_shows_both_visits()
    {
        var id = await _contacts.Lead(Api.Unique("rep"));
        await (await _gateway.Post($"/api/leads/{id}/disqualify", new { reason = "Went silent" })).Json(HttpStatusCode.OK);

        var reopened = await (await _gateway.Post($"/api/leads/{id}/reopen")).Json(HttpStatusCode.OK);
        await (await _gateway.Post($"/api/leads/{id}/reopen")).Problem(HttpStatusCode.Conflict);

        Assert.Equal("new", reopened["status"]!.GetValue<string>());
        var journey = await _gateway.Eventually($"/api/pipeline/contacts/{id}", j => j["history"]!.AsArray().Count == 2);
        Assert.Equal("open", journey["status"]!.GetValue<string>());
        Assert.Equal(("lost", "Went silent"), (journey["history"]![0]!["outcome"]!.GetValue<string>(),
            journey["history"]![0]!["reason"]!.GetValue<string>()));
    }

    private async Task<JsonNode> Eventually201(Func<Task<HttpResponseMessage>> post)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var response = await post();
            if (response.StatusCode == HttpStatusCode.Created || DateTime.UtcNow > deadline)
            {
                return await response.Json(HttpStatusCode.Created);
            }
            await Task.Delay(200, Api.Cancel);
        }
    }
}
