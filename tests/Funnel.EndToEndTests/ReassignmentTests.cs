namespace Funnel.EndToEndTests;

/// <summary>A manager gives a contact to another salesperson: every stage, the journey and the sale's credit follow.</summary>
public class ReassignmentTests(FunnelApp funnel)
{
    private readonly HttpClient _manager = funnel.Gateway;

    [Fact(Timeout = 180_000)]
    public async Task A_prospect_reassigned_moves_at_every_stage_and_its_sale_is_credited_to_the_new_owner()
    {
        var (first, second) = (Api.Unique("first"), Api.Unique("second"));
        var id = await new Contacts(_manager).Prospect(first);
        await ReassignAsync(id, second);

        var newOwner = funnel.GatewayAs(second);
        var oldOwner = funnel.GatewayAs(first);
        foreach (var path in new[] { $"/api/qualification/{id}", $"/api/quoting/{id}", $"/api/pipeline/contacts/{id}" })
        {
            await _manager.Eventually(path, record => record["owner"]!.GetValue<string>() == second);
            Assert.Equal(HttpStatusCode.OK, (await newOwner.GetAsync(path, Api.Cancel)).StatusCode);
            // The old owner is answered as for anyone else's contact.
            Assert.Equal(HttpStatusCode.NotFound, (await oldOwner.GetAsync(path, Api.Cancel)).StatusCode);
        }
        var refused = await oldOwner.Post($"/api/quoting/{id}/quotes", new
        {
            currency = "EUR",
            validUntil = Contacts.ValidUntil,
            lines = new[] { new { sku = "X", description = "x", quantity = 1, unitPrice = 1m } }
        });
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);

        // The new owner works the contact to a sale, credited to them.
        var quote = await new Contacts(newOwner).DraftQuote(id);
        await (await newOwner.Post($"/api/quoting/{id}/quotes/{quote}/send")).Json(HttpStatusCode.OK);
        await (await newOwner.Post($"/api/quoting/{id}/quotes/{quote}/accept")).Json(HttpStatusCode.Accepted);
        var customer = await newOwner.Eventually($"/api/customers/{id}");
        Assert.Equal(second, customer["owner"]!.GetValue<string>());
        var orders = await newOwner.Eventually($"/api/orders?owner={second}", o => o["items"]!.AsArray().Count == 1);
        Assert.Equal(second, orders["items"]![0]!["owner"]!.GetValue<string>());
        var journey = await newOwner.Eventually($"/api/pipeline/contacts/{id}", j => j["stage"]!.GetValue<string>() == "customer");
        Assert.Equal(second, journey["owner"]!.GetValue<string>());
        var oldSales = await (await oldOwner.GetAsync("/api/orders", Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.Empty(oldSales["items"]!.AsArray());
    }

    [Fact(Timeout = 180_000)]
    public async Task A_reassignment_that_overtakes_the_hand_off_still_reaches_the_next_stage()
    {
        var (first, second) = (Api.Unique("first"), Api.Unique("second"));
        var id = await new Contacts(_manager).Lead(first);
        await (await _manager.Post($"/api/leads/{id}/qualify")).Json(HttpStatusCode.Accepted);
        // At once: the reassignment and the hand-off travel on different queues, in either order.
        await ReassignAsync(id, second);

        await _manager.Eventually($"/api/qualification/{id}", c => c["owner"]!.GetValue<string>() == second);
        await _manager.Eventually($"/api/pipeline/contacts/{id}", j => j["owner"]!.GetValue<string>() == second);
        Assert.Equal(HttpStatusCode.OK, (await funnel.GatewayAs(second).GetAsync($"/api/qualification/{id}", Api.Cancel)).StatusCode);
    }

    private async Task ReassignAsync(string id, string owner)
    {
        var read = await _manager.GetAsync($"/api/leads/{id}", Api.Cancel);
        read.EnsureSuccessStatusCode();
        var changed = await (await _manager.Patch($"/api/leads/{id}", new { owner }, read.Headers.ETag!.Tag)).Json(HttpStatusCode.OK);
        Assert.Equal(owner, changed["owner"]!.GetValue<string>());
    }
}
