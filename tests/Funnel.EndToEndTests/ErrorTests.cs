namespace Funnel.EndToEndTests;

/// <summary>Blocked moves, bad input and unknown contacts answer with clear ProblemDetails, never a 5xx.</summary>
public class ErrorTests(FunnelApp funnel)
{
    private readonly HttpClient _gateway = funnel.Gateway;

    [Fact(Timeout = 120_000)]
    public async Task Promoting_before_the_gate_is_met_is_409_with_the_unmet_tasks()
    {
        var id = await new Contacts(_gateway).QualifiedLead(Api.Unique("rep"));

        var blocked = await (await _gateway.Post($"/api/qualification/{id}/promote")).Problem(HttpStatusCode.Conflict);
        Assert.Equal(["first-interaction", "interest-confirmed", "credit-approved"], blocked["unmet"].Strings());

        await (await _gateway.Post($"/api/qualification/{id}/interactions", new { kind = "email", summary = "Hello" }))
            .Json(HttpStatusCode.Created);
        var still = await (await _gateway.Post($"/api/qualification/{id}/promote")).Problem(HttpStatusCode.Conflict);
        Assert.Equal(["interest-confirmed", "credit-approved"], still["unmet"].Strings());

        var @case = await (await _gateway.GetAsync($"/api/qualification/{id}", Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.Equal("in-progress", @case["status"]!.GetValue<string>());
    }

    [Fact(Timeout = 120_000)]
    public async Task Accepting_an_unsent_quote_is_409_and_a_credit_rejection_blocks_promotion()
    {
        var contacts = new Contacts(_gateway);
        var prospect = await contacts.Prospect(Api.Unique("rep"));
        var quoteId = await contacts.DraftQuote(prospect);

        var blocked = await (await _gateway.Post($"/api/quoting/{prospect}/quotes/{quoteId}/accept")).Problem(HttpStatusCode.Conflict);
        Assert.Equal(["quote-sent"], blocked["unmet"].Strings());

        var lead = await contacts.QualifiedLead(Api.Unique("rep"));
        var rejected = await (await _gateway.Post($"/api/qualification/{lead}/credit-check",
            new { requestedLimit = new { amount = 900000, currency = "EUR" } })).Json(HttpStatusCode.OK);
        Assert.False(rejected["approved"]!.GetValue<bool>());
        Assert.Contains("above the unsecured limit", rejected["reason"]!.GetValue<string>());
        var notPromoted = await (await _gateway.Post($"/api/qualification/{lead}/promote")).Problem(HttpStatusCode.Conflict);
        Assert.Contains("credit-approved", notPromoted["unmet"].Strings());
    }

    [Fact(Timeout = 120_000)]
    public async Task The_same_email_or_phone_again_is_409_with_the_existing_contact()
    {
        var email = $"{Api.Unique("dup")}@example.com";
        var first = await (await _gateway.Post("/api/leads", new { name = "A", email })).Json(HttpStatusCode.Created);

        var again = await (await _gateway.Post("/api/leads", new { name = "B", email = "  " + email.ToUpperInvariant() }))
            .Problem(HttpStatusCode.Conflict);

        Assert.Equal(first["contactId"]!.GetValue<string>(), again["existingContactId"]!.GetValue<string>());
    }

    [Fact(Timeout = 120_000)]
    public async Task Bad_requests_are_400_problems_that_say_what_is_wrong()
    {
        var missing = await (await _gateway.Post("/api/leads", new { company = "Nameless" })).Problem(HttpStatusCode.BadRequest);
        Assert.NotNull(missing["errors"]!["name"]);
        Assert.NotNull(missing["errors"]!["email"]);

        var malformed = await (await _gateway.PostRaw("/api/leads", "{\"name\": \"Ada\",")).Problem(HttpStatusCode.BadRequest);
        Assert.Contains("not valid", malformed["detail"]!.GetValue<string>());

        var unknownSource = await (await _gateway.PostRaw("/api/leads",
            "{\"name\":\"Ada\",\"email\":\"ada@x.example\",\"source\":\"carrier-pigeon\"}")).Problem(HttpStatusCode.BadRequest);
        Assert.Contains("source", unknownSource["detail"]!.GetValue<string>());

        var wrongType = await (await _gateway.PostRaw("/api/leads", "{\"name\":42,\"email\":\"ada@x.example\"}"))
            .Problem(HttpStatusCode.BadRequest);
        Assert.Contains("name", wrongType["detail"]!.GetValue<string>());

        var badFilter = await (await _gateway.GetAsync("/api/leads?status=sleeping&pageSize=0", Api.Cancel)).Problem(HttpStatusCode.BadRequest);
        Assert.NotNull(badFilter["errors"]!["status"]);
        Assert.NotNull(badFilter["errors"]!["pageSize"]);

        var prospect = await new Contacts(_gateway).Prospect(Api.Unique("rep"));
        var badQuote = await (await _gateway.Post($"/api/quoting/{prospect}/quotes", new
        {
            currency = "euro",
            validUntil = "2020-01-01",
            lines = new[] { new { sku = "X", description = "x", quantity = 0, unitPrice = 10.001m, discountPercent = 120 } },
        })).Problem(HttpStatusCode.BadRequest);
        var errors = badQuote["errors"]!.AsObject().Select(e => e.Key).ToHashSet();
        Assert.Superset(new HashSet<string> { "currency", "validUntil", "lines[0].quantity", "lines[0].unitPrice", "lines[0].discountPercent" }, errors);

        var noReason = await (await _gateway.Post($"/api/quoting/{prospect}/lose", new { reason = " " })).Problem(HttpStatusCode.BadRequest);
        Assert.NotNull(noReason["errors"]!["reason"]);
        var stillOpen = await (await _gateway.GetAsync($"/api/quoting/{prospect}", Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.Equal("open", stillOpen["status"]!.GetValue<string>());
    }

    [Theory(Timeout = 60_000)]
    [InlineData("GET", "/api/leads/{0}")]
    [InlineData("POST", "/api/leads/{0}/qualify")]
    [InlineData("GET", "/api/qualification/{0}")]
    [InlineData("POST", "/api/qualification/{0}/promote")]
    [InlineData("GET", "/api/quoting/{0}")]
    [InlineData("GET", "/api/orders/{0}")]
    [InlineData("GET", "/api/customers/{0}")]
    [InlineData("GET", "/api/pipeline/contacts/{0}")]
    public async Task An_unknown_contact_is_404(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), string.Format(path, Guid.NewGuid()));
        var problem = await (await _gateway.SendAsync(request, Api.Cancel)).Problem(HttpStatusCode.NotFound);
        Assert.Contains("There is no", problem["detail"]!.GetValue<string>());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_move_the_state_does_not_allow_is_409()
    {
        var id = await new Contacts(_gateway).Lead(Api.Unique("rep"));
        await (await _gateway.Post($"/api/leads/{id}/disqualify", new { reason = "No budget" })).Json(HttpStatusCode.OK);

        var problem = await (await _gateway.Post($"/api/leads/{id}/qualify")).Problem(HttpStatusCode.Conflict);

        Assert.Contains("lost", problem["detail"]!.GetValue<string>());
    }
}
