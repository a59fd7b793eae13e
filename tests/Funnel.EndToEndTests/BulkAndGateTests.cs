using System.Net.Http.Headers;
using System.Text;

namespace Funnel.EndToEndTests;

[CollectionDefinition(nameof(AloneTests), DisableParallelization = true)]
public sealed class AloneTests;

/// <summary>
/// Tests that change what every other test sees (the live lead gate) or load the system (an import of 10,000 rows):
/// they run alone, after the others.
/// </summary>
[Collection(nameof(AloneTests))]
public class BulkAndGateTests(FunnelApp funnel)
{
    private readonly HttpClient _gateway = funnel.Gateway;
    private readonly Contacts _contacts = new(funnel.Gateway);
    private string LeadsGateFile => Path.Combine(funnel.DataPath, "gates", "leads.json");

    [Fact(Timeout = 180_000)]
    public async Task The_same_qualify_passes_or_is_blocked_depending_on_the_configured_gate()
    {
        var before = await _contacts.Lead(Api.Unique("rep"));
        var passed = await (await _gateway.Post($"/api/leads/{before}/qualify")).Json(HttpStatusCode.Accepted);
        Assert.Equal("lead-1", passed["gateVersion"]!.GetValue<string>());

        try
        {
            await WriteGate("lead-e2e-2", "contact-reachable", "owner-assigned", "company-known");
            await _gateway.Eventually("/api/leads/gate", g => g["version"]!.GetValue<string>() == "lead-e2e-2");

            var noCompany = await (await _gateway.Post("/api/leads", new
            {
                name = "Charles",
                email = $"{Api.Unique("charles")}@example.com",
                owner = "alice",
            })).Json(HttpStatusCode.Created);
            var id = noCompany["contactId"]!.GetValue<string>();
            var blocked = await (await _gateway.Post($"/api/leads/{id}/qualify")).Problem(HttpStatusCode.Conflict);
            Assert.Equal(["company-known"], blocked["unmet"].Strings());
            Assert.Equal("lead-e2e-2", blocked["gateVersion"]!.GetValue<string>());

            await (await _gateway.Patch($"/api/leads/{id}", new { company = "Difference Ltd" }, "*")).Json(HttpStatusCode.OK);
            var qualified = await (await _gateway.Post($"/api/leads/{id}/qualify")).Json(HttpStatusCode.Accepted);
            Assert.Equal("lead-e2e-2", qualified["gateVersion"]!.GetValue<string>());
            var lead = await (await _gateway.GetAsync($"/api/leads/{id}", Api.Cancel)).Json(HttpStatusCode.OK);
            Assert.Equal("lead-e2e-2", lead["qualifiedUnderGate"]!.GetValue<string>());

            // A gate the service cannot judge is refused; the one in force stays.
            await WriteGate("lead-e2e-3", "contact-reachable", "crystal-ball-says-yes");
            await Task.Delay(TimeSpan.FromSeconds(3), Api.Cancel);
            var gate = await (await _gateway.GetAsync("/api/leads/gate", Api.Cancel)).Json(HttpStatusCode.OK);
            Assert.Equal("lead-e2e-2", gate["version"]!.GetValue<string>());
        }
        finally
        {
            File.Delete(LeadsGateFile);
        }
        await _gateway.Eventually("/api/leads/gate", g => g["version"]!.GetValue<string>() == "lead-1");
    }

    [Fact(Timeout = 600_000)]
    public async Task An_import_of_10000_rows_runs_in_the_background_and_answers_for_each_row()
    {
        var run = Api.Unique("imp");
        var importer = funnel.GatewayAs(Api.Unique("importer"), "manager");
        var existing = await (await importer.Post("/api/leads", new { name = "Stored", email = $"stored.{run}@example.com" }))
            .Json(HttpStatusCode.Created);
        var csv = new StringBuilder("name,company,email,phone,source,owner\n");
        for (var i = 0; i < 10_000; i++)
        {
            csv.Append(i switch
            {
                < 100 => $"Stored again {i},,stored.{run}@example.com,,web,\n",        // duplicates of a stored lead
                < 200 => $"Twin {i},,twin.{run}@example.com,,web,\n",                  // duplicates of an earlier row
                < 300 => $",Nameless Ltd,nameless{i}.{run}@example.com,,web,\n",       // rejected: no name
                < 400 => $"Bad {i},,not-an-email,,carrier-pigeon,\n",                  // rejected: email and source
                9_999 => $"Twin of a row in the first chunk,,twin.{run}@example.com,,web,\n",
                _ => $"\"Contact {i}, Esq.\",Co {i},c{i}.{run}@example.com,,directory,{run}-rep{i % 7}\n",
            });
        }

        var started = await importer.PostAsync("/api/leads/import",
            new StringContent(csv.ToString(), new MediaTypeHeaderValue("text/csv")), Api.Cancel);
        var accepted = await started.Json(HttpStatusCode.Accepted);
        Assert.Equal($"/api/leads/imports/{accepted["importId"]}", started.Headers.Location?.OriginalString);
        Assert.Equal((10_000, "running"), (accepted["rows"]!.GetValue<int>(), accepted["status"]!.GetValue<string>()));
        // One running import per user: a second waits its turn.
        var second = await importer.PostAsync("/api/leads/import",
            new StringContent("name,email\nA,a@b.example\n", new MediaTypeHeaderValue("text/csv")), Api.Cancel);
        await second.Problem(HttpStatusCode.TooManyRequests);
        Assert.True(second.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));

        var progress = new List<int>();
        var result = await importer.Eventually(started.Headers.Location!.OriginalString + "?pageSize=200", p =>
        {
            progress.Add(p["processed"]!.GetValue<int>());
            return p["status"]!.GetValue<string>() != "running";
        }, within: TimeSpan.FromMinutes(4));
        Figures.Print("import of 10,000 rows", ("progress reads", progress.Count),
            ("distinct processed counts seen", progress.Distinct().Count()));
        Assert.Equal(("done", 10_000, 10_000), (result["status"]!.GetValue<string>(), result["rows"]!.GetValue<int>(),
            result["processed"]!.GetValue<int>()));
        Assert.Equal((9_600, 200, 200), (result["imported"]!.GetValue<int>(), result["duplicates"]!.GetValue<int>(),
            result["rejected"]!.GetValue<int>()));
        var rows = result["results"]!["items"]!.AsArray();
        Assert.Equal((200, 10_000), (rows.Count, result["results"]!["total"]!.GetValue<int>()));
        Assert.Equal(existing["contactId"]!.GetValue<string>(), rows[0]!["existingContactId"]!.GetValue<string>());
        Assert.Equal(rows[100]!["contactId"]!.GetValue<string>(), rows[101]!["existingContactId"]!.GetValue<string>());
        var second200 = (await (await importer.GetAsync($"{started.Headers.Location!.OriginalString}?page=2&pageSize=200",
            Api.Cancel)).Json(HttpStatusCode.OK))["results"]!["items"]!.AsArray();
        Assert.Equal(201, second200[0]!["row"]!.GetValue<int>());
        Assert.NotNull(second200[0]!["errors"]!["name"]);
        Assert.NotNull(second200[100]!["errors"]!["email"]);
        Assert.NotNull(second200[100]!["errors"]!["source"]);
        var last = (await (await importer.GetAsync($"{started.Headers.Location!.OriginalString}?page=50&pageSize=200",
            Api.Cancel)).Json(HttpStatusCode.OK))["results"]!["items"]!.AsArray();
        Assert.Equal(10_000, last[^1]!["row"]!.GetValue<int>());
        // A duplicate of a row committed chunks before.
        Assert.Equal(rows[100]!["contactId"]!.GetValue<string>(), last[^1]!["existingContactId"]!.GetValue<string>());
        var imported = await (await importer.GetAsync($"/api/leads/{last[^2]!["contactId"]}", Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.Equal(("Contact 9998, Esq.", $"{run}-rep2", "directory"), (imported["name"]!.GetValue<string>(),
            imported["owner"]!.GetValue<string>(), imported["source"]!.GetValue<string>()));
        // The importer's next import is welcome again.
        await (await importer.PostAsync("/api/leads/import", new StringContent("name,email\n",
            new MediaTypeHeaderValue("text/csv")), Api.Cancel)).Json(HttpStatusCode.OK);

        // Leave a settled system to the tests after this one: wait until Pipeline has taken in every imported lead
        // (9,601 events, each delivered twice in this suite).
        for (var rep = 0; rep < 7; rep++)
        {
            var expected = Enumerable.Range(400, 9_599).Count(i => i % 7 == rep);
            await _gateway.Eventually($"/api/pipeline/board?owner={run}-rep{rep}&limit=0",
                board => board["stages"]![0]!["count"]!.GetValue<int>() == expected, within: TimeSpan.FromMinutes(4));
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task An_import_applies_the_lead_gate_to_the_leads_it_qualifies()
    {
        var run = Api.Unique("gate");
        var csv = $"name,company,email,phone,source,owner\nReady,Co,ready.{run}@example.com,,import,alice\n";
        try
        {
            await WriteGate("lead-e2e-4", "contact-reachable", "owner-assigned", "company-known");
            await _gateway.Eventually("/api/leads/gate", g => g["version"]!.GetValue<string>() == "lead-e2e-4");
            csv += $"No company,,nocompany.{run}@example.com,,import,alice\n";

            var result = await (await _gateway.PostAsync("/api/leads/import?qualify=true",
                new StringContent(csv, new MediaTypeHeaderValue("text/csv")), Api.Cancel)).Json(HttpStatusCode.OK);

            var rows = result["results"]!.AsArray();
            Assert.Equal("qualified", rows[0]!["outcome"]!.GetValue<string>());
            Assert.Equal("imported", rows[1]!["outcome"]!.GetValue<string>());
            Assert.Equal(["company-known"], rows[1]!["unmet"].Strings());
            await _gateway.Eventually($"/api/qualification/{rows[0]!["contactId"]}");
        }
        finally
        {
            File.Delete(LeadsGateFile);
        }
        await _gateway.Eventually("/api/leads/gate", g => g["version"]!.GetValue<string>() == "lead-1");
    }

    private Task WriteGate(string version, params string[] tasks) => File.WriteAllTextAsync(LeadsGateFile,
        System.Text.Json.JsonSerializer.Serialize(new { Gate = new { Version = version, Tasks = tasks.Select(t => new { Name = t }) } }),
        Api.Cancel);
}
