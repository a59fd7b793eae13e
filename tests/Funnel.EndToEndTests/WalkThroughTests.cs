namespace Funnel.EndToEndTests;

/// <summary>The README's walk-through: one contact from lead to customer, through the gateway only.</summary>
public class WalkThroughTests(FunnelApp funnel)
{
    private readonly HttpClient _gateway = funnel.Gateway;

    [Fact(Timeout = 120_000)]
    public async Task A_contact_goes_from_lead_to_customer_and_the_sale_is_credited_to_its_salesperson()
    {
        // The salesperson works the contact with their own token, as a front end would.
        var owner = Api.Unique("rep");
        var salesperson = funnel.GatewayAs(owner);
        var contacts = new Contacts(salesperson);

        var lead = await (await salesperson.Post("/api/leads", new
        {
            name = "Grace Hopper",
            company = "Compilers Ltd",
            email = $"{Api.Unique("grace")}@compilers.example",
            phone = "+1 555 0100 " + Random.Shared.Next(1000, 9999),
            source = "web",
            owner,
        })).Json(HttpStatusCode.Created);
        var id = lead["contactId"]!.GetValue<string>();
        Assert.Equal(("new", owner), (lead["status"]!.GetValue<string>(), lead["owner"]!.GetValue<string>()));

        var qualified = await (await salesperson.Post($"/api/leads/{id}/qualify")).Json(HttpStatusCode.Accepted);
        Assert.Equal("lead-1", qualified["gateVersion"]!.GetValue<string>());

        var opened = await salesperson.Eventually($"/api/qualification/{id}");
        Assert.Equal("awaiting-first-interaction", opened["status"]!.GetValue<string>());
        Assert.Equal(["first-interaction", "interest-confirmed", "credit-approved"], opened["unmet"].Strings());

        await (await salesperson.Post($"/api/qualification/{id}/interactions", new { kind = "meeting", summary = "First meeting" }))
            .Json(HttpStatusCode.Created);
        await (await salesperson.Post($"/api/qualification/{id}/interest", new { interested = true, notes = "Needs 2 units" }))
            .Json(HttpStatusCode.OK);
        var credit = await (await salesperson.Post($"/api/qualification/{id}/credit-check",
            new { requestedLimit = new { amount = 15000.50m, currency = "EUR" } })).Json(HttpStatusCode.OK);
        Assert.Equal(15000.50m, credit["approvedLimit"]!["amount"]!.GetValue<decimal>());

        var @case = await (await salesperson.GetAsync($"/api/qualification/{id}", Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.All(@case["checklist"]!.AsArray(), task => Assert.True(task!["done"]!.GetValue<bool>()));
        Assert.Equal(owner, @case["checklist"]![2]!["by"]!.GetValue<string>());

        await (await salesperson.Post($"/api/qualification/{id}/promote")).Json(HttpStatusCode.Accepted);
        var opportunity = await salesperson.Eventually($"/api/quoting/{id}");
        Assert.Equal(10, opportunity["percentComplete"]!.GetValue<int>());
        Assert.Equal(15000.50m, opportunity["creditLimit"]!["amount"]!.GetValue<decimal>());

        var quoteId = await contacts.DraftQuote(id);
        var sent = await (await salesperson.Post($"/api/quoting/{id}/quotes/{quoteId}/send")).Json(HttpStatusCode.OK);
        Assert.Equal("sent", sent["status"]!.GetValue<string>());
        Assert.Equal(2222.10m, sent["total"]!["amount"]!.GetValue<decimal>());
        await (await salesperson.Post($"/api/quoting/{id}/quotes/{quoteId}/accept")).Json(HttpStatusCode.Accepted);

        var customer = await salesperson.Eventually($"/api/customers/{id}");
        var order = Assert.Single(customer["orders"]!.AsArray())!;
        Assert.Equal((owner, quoteId, 2222.10m), (order["owner"]!.GetValue<string>(),
            order["quoteId"]!.GetValue<string>(), order["total"]!["amount"]!.GetValue<decimal>()));
        var orderId = order["orderId"]!.GetValue<string>();
        var fetched = await (await salesperson.GetAsync($"/api/orders/{orderId}", Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.Equal(id, fetched["contactId"]!.GetValue<string>());
        Assert.Single(fetched["lines"]!.AsArray());

        var sales = await (await salesperson.GetAsync("/api/sales", Api.Cancel)).Json(HttpStatusCode.OK);
        var mine = Assert.Single(sales["bySalesperson"]!.AsArray(), s => s!["owner"]!.GetValue<string>() == owner)!;
        Assert.Equal((1, 2222.10m), (mine["orders"]!.GetValue<int>(), mine["total"]!["amount"]!.GetValue<decimal>()));

        // Pipeline may receive the stages' events in any order; the journey is complete once all four are in.
        var journey = await salesperson.Eventually($"/api/pipeline/contacts/{id}",
            j => j["history"]!.AsArray().Count == 4 && j["stage"]!.GetValue<string>() == "customer");
        Assert.Equal(("won", owner), (journey["status"]!.GetValue<string>(), journey["owner"]!.GetValue<string>()));
        Assert.Equal(["lead", "qualified-lead", "prospect", "customer"],
            journey["history"]!.AsArray().Select(v => v!["stage"]!.GetValue<string>()));
        Assert.Empty(journey["next"]!.AsArray());
    }

    [Fact(Timeout = 120_000)]
    public async Task Each_hand_off_is_one_trace_from_the_gateway_to_the_next_stages_consumer()
    {
        var id = await new Contacts(_gateway).Lead(Api.Unique("rep"));
        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        using var qualify = new HttpRequestMessage(HttpMethod.Post, $"/api/leads/{id}/qualify");
        qualify.Headers.Add("traceparent", $"00-{traceId}-{Convert.ToHexStringLower(BitConverter.GetBytes(42L))}-01");

        (await _gateway.SendAsync(qualify, Api.Cancel)).EnsureSuccessStatusCode();

        // Qualification's consumer opens the case and says its checklist: that event, published from inside the
        // consumer, carries the trace the qualify request started at the gateway.
        // The two events come from different services, so Pipeline may receive them in either order.
        var journey = await _gateway.Eventually($"/api/pipeline/contacts/{id}", j =>
            new[] { "LeadQualified", "ChecklistChanged" }.All(type =>
                j["events"]!.AsArray().Any(e => e!["type"]!.GetValue<string>() == type)));
        var events = journey["events"]!.AsArray();
        var handOff = events.Single(e => e!["type"]!.GetValue<string>() == "LeadQualified")!;
        var opened = events.Single(e => e!["type"]!.GetValue<string>() == "ChecklistChanged")!;
        Assert.Equal(traceId, handOff["traceId"]!.GetValue<string>());
        Assert.Equal(traceId, opened["traceId"]!.GetValue<string>());
    }
}
