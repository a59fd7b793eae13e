using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.Testing;

namespace Funnel.EndToEndTests;

/// <summary>Erasure (GDPR article 17): a contact's personal data leaves every service, every store and every queue.</summary>
public class ErasureTests(FunnelApp funnel)
{
    [Fact(Timeout = 180_000)]
    public async Task An_erased_customer_is_nowhere_in_the_databases_files_or_queues_and_the_funnel_reads_the_same()
    {
        var owner = Api.Unique("eraser");
        var seller = funnel.GatewayAs(owner);
        var marker = Guid.NewGuid().ToString("N")[..12];
        var name = $"Erin Erasable {marker}";
        var company = $"Forgotten Ltd {marker}";
        var email = $"erin.{marker}@forgotten.example";
        var phone = $"+44 20 7946 {Random.Shared.Next(1000, 9999)}";
        var notes = $"Met at the fair {marker}";
        var summary = $"Long call with Erin {marker}";

        // A customer: every service holds something of Erin's, with an idempotency key stored on the way.
        using var capture = new HttpRequestMessage(HttpMethod.Post, "/api/leads")
        {
            Content = JsonContent.Create(new { name, company, email, phone, notes, source = "web", owner }),
        };
        capture.Headers.Add("Idempotency-Key", $"erase-{marker}");
        var id = (await (await seller.SendAsync(capture, Api.Cancel)).Json(HttpStatusCode.Created))["contactId"]!.GetValue<string>();
        await (await seller.Post($"/api/leads/{id}/qualify")).Json(HttpStatusCode.Accepted);
        await seller.Eventually($"/api/qualification/{id}");
        await (await seller.Post($"/api/qualification/{id}/interactions", new { kind = "call", summary })).Json(HttpStatusCode.Created);
        await (await seller.Post($"/api/qualification/{id}/interest", new { interested = true, notes = summary })).Json(HttpStatusCode.OK);
        await (await seller.Post($"/api/qualification/{id}/credit-check",
            new { requestedLimit = new { amount = 20000, currency = "EUR" } })).Json(HttpStatusCode.OK);
        await (await seller.Post($"/api/qualification/{id}/promote")).Json(HttpStatusCode.Accepted);
        await seller.Eventually($"/api/quoting/{id}");
        await (await seller.Post($"/api/quoting/{id}/activities", new { kind = "demo", summary })).Json(HttpStatusCode.Created);
        var quote = await new Contacts(seller).DraftQuote(id);
        await (await seller.Post($"/api/quoting/{id}/quotes/{quote}/send")).Json(HttpStatusCode.OK);
        await (await seller.Post($"/api/quoting/{id}/quotes/{quote}/accept")).Json(HttpStatusCode.Accepted);
        await seller.Eventually($"/api/customers/{id}");
        var journeyBefore = await funnel.Gateway.Eventually($"/api/pipeline/contacts/{id}",
            j => j["stage"]!.GetValue<string>() == "customer");
        // Reports over a fixed window, so that only the erasure could change them.
        var window = $"from={DateTime.UtcNow.AddDays(-1):yyyy-MM-dd}&to={DateTime.UtcNow.AddDays(2):yyyy-MM-dd}";
        var funnelBefore = await (await funnel.Gateway.GetAsync($"/api/pipeline/funnel?owner={owner}&{window}", Api.Cancel))
            .Json(HttpStatusCode.OK);
        var salesBefore = await (await funnel.GatewayAs(owner).GetAsync($"/api/sales?{window}", Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.Equal(name, journeyBefore["name"]!.GetValue<string>());

        // Only a manager erases, and only a known contact.
        await (await seller.Post($"/api/contacts/{id}/erase")).Problem(HttpStatusCode.Forbidden);
        await (await funnel.Gateway.Post($"/api/contacts/{Guid.NewGuid()}/erase")).Problem(HttpStatusCode.NotFound);
        var erase = await funnel.Gateway.Post($"/api/contacts/{id}/erase");
        var accepted = await erase.Json(HttpStatusCode.Accepted);
        Assert.Equal($"/api/contacts/{id}/erasure", erase.Headers.Location?.OriginalString);
        Assert.Equal(["leads", "qualification", "quoting", "orders", "pipeline"],
            accepted["services"]!.AsArray().Select(s => s!["service"]!.GetValue<string>()));
        var done = await funnel.Gateway.Eventually($"/api/contacts/{id}/erasure",
            e => e["status"]!.GetValue<string>() == "done", TimeSpan.FromSeconds(60));
        Assert.All(done["services"]!.AsArray(), s => Assert.Equal("done", s!["status"]!.GetValue<string>()));
        // Asked again: the same erasure.
        Assert.Equal("done", (await (await funnel.Gateway.Post($"/api/contacts/{id}/erase")).Json(HttpStatusCode.Accepted))["status"]!
            .GetValue<string>());

        // What is left of Erin: ids, stages, amounts and times.
        var lead = await (await funnel.Gateway.GetAsync($"/api/leads/{id}", Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.Equal(("(erased)", null, null), (lead["name"]!.GetValue<string>(), lead["email"]?.GetValue<string>(),
            lead["phone"]?.GetValue<string>()));
        var journeyAfter = await (await funnel.Gateway.GetAsync($"/api/pipeline/contacts/{id}", Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.Null(journeyAfter["name"]);
        Assert.Equal(journeyBefore["history"]!.ToJsonString(), journeyAfter["history"]!.ToJsonString());
        Assert.Equal(funnelBefore.ToJsonString(),
            (await (await funnel.Gateway.GetAsync($"/api/pipeline/funnel?owner={owner}&{window}", Api.Cancel)).Json(HttpStatusCode.OK))
                .ToJsonString());
        Assert.Equal(salesBefore.ToJsonString(),
            (await (await funnel.GatewayAs(owner).GetAsync($"/api/sales?{window}", Api.Cancel)).Json(HttpStatusCode.OK)).ToJsonString());
        var search = await (await funnel.Gateway.GetAsync($"/api/leads?search={marker}", Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.Equal(0, search["total"]!.GetValue<int>());

        // Nowhere in the bytes of any database file (SQLite: the files and their write-ahead logs)...
        string[] secrets = [marker, email, phone, phone.Replace(" ", "")];
        var files = Directory.EnumerateFiles(funnel.DataPath, "*-db.db*").ToList();
        Assert.Equal(5, files.Count(f => f.EndsWith(".db", StringComparison.Ordinal)));
        foreach (var file in files)
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var bytes = new MemoryStream();
            await stream.CopyToAsync(bytes, Api.Cancel);
            foreach (var secret in secrets)
            {
                Assert.True(bytes.GetBuffer().AsSpan(0, (int)bytes.Length).IndexOf(Encoding.UTF8.GetBytes(secret)) < 0,
                    $"'{secret}' is still in {Path.GetFileName(file)}");
            }
        }
        // ... nor in any message waiting in any queue of the run (error and redelivery queues included).
        using var management = new HttpClient { BaseAddress = funnel.App.GetEndpoint("messaging", "management") };
        management.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String("guest:guest"u8.ToArray()));
        foreach (var queue in (await funnel.System.ManagementAsync("/api/queues", Api.Cancel)).AsArray())
        {
            var waiting = queue!["messages"]?.GetValue<int>() ?? 0;
            if (waiting == 0)
            {
                continue;
            }
            var queueName = queue["name"]!.GetValue<string>();
            var peeked = await management.PostAsJsonAsync($"/api/queues/%2F/{Uri.EscapeDataString(queueName)}/get",
                new { count = waiting, ackmode = "ack_requeue_true", encoding = "auto" }, Api.Cancel);
            var body = await peeked.Content.ReadAsStringAsync(Api.Cancel);
            Assert.All(secrets, secret => Assert.DoesNotContain(secret, body));
        }
    }
}
