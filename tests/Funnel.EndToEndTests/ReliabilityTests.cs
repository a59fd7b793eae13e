using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;
using Funnel.AppHost;
using Microsoft.Extensions.DependencyInjection;

namespace Funnel.EndToEndTests;

/// <summary>
/// Nothing lost, nothing doubled, under failures: a stage service stopped and a broker restarted while contacts flow,
/// and (in the whole suite) every message delivered twice. Each test prints its figures (docs/RELIABILITY.md).
/// </summary>
[Collection(nameof(AloneTests))]
public class ReliabilityTests(IsolatedFunnelApp funnel) : IClassFixture<IsolatedFunnelApp>
{
    private const int Contacts = 200;
    private readonly HttpClient _gateway = funnel.Gateway;

    [Fact(Timeout = 400_000)]
    public async Task Stopping_a_stage_service_while_contacts_flow_through_it_loses_and_doubles_nothing()
    {
        var owner = Api.Unique("flow");
        var leads = await CaptureAsync(owner, Contacts);

        // All qualify at once, and Qualification is stopped while their hand-offs are on their way to it.
        var qualifying = Batched(leads, id => _gateway.Post($"/api/leads/{id}/qualify"));
        await funnel.ChangeStateAsync("qualification", KnownResourceCommands.StopCommand,
            KnownResourceStates.Exited, KnownResourceStates.Finished);
        var answers = await qualifying;
        await funnel.ChangeStateAsync("qualification", KnownResourceCommands.StartCommand, KnownResourceStates.Running);
        await funnel.WaitHealthyAsync("qualification", TimeSpan.FromMinutes(2));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.StatusCode));
        var (arrived, doubled) = await Flow.ArrivalsAsync(_gateway, owner, leads);
        Figures.Print("stop qualification", ("contacts in flight", Contacts), ("arrived", arrived),
            ("lost", Contacts - arrived), ("duplicated", doubled));
        Assert.Equal((Contacts, 0), (arrived, doubled));
    }

    [Fact(Timeout = 400_000)]
    public async Task An_import_cut_off_by_kill_9_resumes_after_its_last_committed_chunk_and_imports_each_row_once()
    {
        const int rows = 12_000;
        var owner = Api.Unique("cut");
        var importer = funnel.GatewayAs(owner);
        var csv = "name,company,email,phone,source,owner\n" + string.Concat(Enumerable.Range(0, rows)
            .Select(i => $"Row {i},,row{i}.{owner}@example.com,,web,\n"));
        var started = await importer.PostAsync("/api/leads/import", new StringContent(csv,
            new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv")), Api.Cancel);
        await started.Json(HttpStatusCode.Accepted);
        var location = started.Headers.Location!.OriginalString;

        var before = await importer.Eventually(location, p => p["processed"]!.GetValue<int>() >= 1_000);
        var leadsProcesses = funnel.ServiceProcesses("Funnel.Leads");
        leadsProcesses.ForEach(pid => System.Diagnostics.Process.GetProcessById(pid).Kill());
        await funnel.WaitForStateAsync("leads", TimeSpan.FromMinutes(1), KnownResourceStates.Exited,
            KnownResourceStates.Finished);
        await funnel.ChangeStateAsync("leads", KnownResourceCommands.StartCommand, KnownResourceStates.Running);
        await funnel.WaitHealthyAsync("leads", TimeSpan.FromMinutes(2));

        // The restarted service's worker takes it up once the dead one's lease lapses.
        var done = await importer.Eventually(location, p => p["status"]!.GetValue<string>() != "running",
            within: TimeSpan.FromMinutes(4));
        var contactIds = new HashSet<string>();
        var outcomes = 0;
        for (var page = 1; page <= rows / 200; page++)
        {
            var items = (await (await importer.GetAsync($"{location}?page={page}&pageSize=200", Api.Cancel))
                .Json(HttpStatusCode.OK))["results"]!["items"]!.AsArray();
            outcomes += items.Count;
            contactIds.UnionWith(items.Select(i => i!["contactId"]!.GetValue<string>()));
        }
        var stored = await (await importer.GetAsync("/api/leads?pageSize=1", Api.Cancel)).Json(HttpStatusCode.OK);
        Figures.Print("kill -9 mid-import", ("rows", rows), ("processed before the kill", before["processed"]!.GetValue<int>()),
            ("leads stored", stored["total"]!.GetValue<int>()), ("row outcomes", outcomes),
            ("distinct leads in outcomes", contactIds.Count));
        Assert.Equal(("done", rows, rows, 0), (done["status"]!.GetValue<string>(), done["processed"]!.GetValue<int>(),
            done["imported"]!.GetValue<int>(), done["duplicates"]!.GetValue<int>()));
        Assert.Equal((rows, rows, rows), (stored["total"]!.GetValue<int>(), outcomes, contactIds.Count));
    }

    [Fact(Timeout = 400_000)]
    public async Task Restarting_the_broker_while_contacts_flow_loses_nothing()
    {
        var owner = Api.Unique("broker");
        var leads = await CaptureAsync(owner, Contacts);

        var qualifying = Batched(leads, id => _gateway.Post($"/api/leads/{id}/qualify"));
        await funnel.ChangeStateAsync("messaging", KnownResourceCommands.RestartCommand, KnownResourceStates.Running);
        var answers = await qualifying;
        await funnel.WaitHealthyAsync("messaging", TimeSpan.FromMinutes(2));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.StatusCode));
        var (arrived, doubled) = await Flow.ArrivalsAsync(_gateway, owner, leads);
        Figures.Print("restart broker", ("contacts in flight", Contacts), ("arrived", arrived),
            ("lost", Contacts - arrived), ("duplicated", doubled));
        Assert.Equal((Contacts, 0), (arrived, doubled));
    }

    [Fact(Timeout = 300_000)]
    public async Task A_broker_that_stops_confirming_does_not_hold_the_outbox_and_what_waited_goes_out_once_it_confirms()
    {
        var owner = Api.Unique("alarm");
        var leads = await CaptureAsync(owner, 6);
        // One hand-off first, so the relay's route to the broker is set up (a first publish declares its exchange, and
        // that step does give up when told); the rest then meet the wait for the broker's confirm.
        var (first, rest) = (leads[0], leads[1..]);
        await (await _gateway.Post($"/api/leads/{first}/qualify")).Json(HttpStatusCode.Accepted);
        await Flow.ArrivalsAsync(_gateway, owner, [first]);
        var broker = funnel.App.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<LocalRabbitMQResource>().Single();
        var leadsInstance = (await funnel.InstancesAsync("leads", KnownResourceStates.Running)).Single();
        var relayGaveUpBefore = RelayGaveUp(await funnel.LogLinesAsync(leadsInstance));

        // A memory alarm: the broker blocks every publishing connection, so no publish is confirmed until it clears.
        // The relay must give its rows back within its bound, say so and keep trying, rather than wait with them.
        await RabbitMqCtlAsync(broker, "set_vm_memory_high_watermark", "absolute", "1");
        var alarmFor = Stopwatch.StartNew();
        int relayGaveUp;
        try
        {
            var answers = await Batched(rest, id => _gateway.Post($"/api/leads/{id}/qualify"));
            Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.StatusCode));
            List<string> lines;
            do
            {
                await Task.Delay(TimeSpan.FromSeconds(1), Api.Cancel);
                lines = await funnel.LogLinesAsync(leadsInstance);
                relayGaveUp = RelayGaveUp(lines) - relayGaveUpBefore;
            } while (relayGaveUp == 0 && alarmFor.Elapsed < TimeSpan.FromSeconds(60));
            if (relayGaveUp == 0)
            {
                TestContext.Current.TestOutputHelper?.WriteLine(string.Join('\n', lines.TakeLast(40)));
                Assert.Fail("Leads' outbox relay did not give up on an unconfirmed publish within 60 s.");
            }
        }
        finally
        {
            await RabbitMqCtlAsync(broker, "set_vm_memory_high_watermark", "0.4");
        }
        var gaveUpAfter = alarmFor.Elapsed;

        var (arrived, doubled) = await Flow.ArrivalsAsync(_gateway, owner, leads);
        Figures.Print("broker not confirming", ("contacts", leads.Count), ("relay gave up after s", Math.Round(gaveUpAfter.TotalSeconds, 1)),
            ("rounds given up", relayGaveUp), ("arrived", arrived), ("duplicated", doubled));
        Assert.Equal((leads.Count, 0), (arrived, doubled));
    }

    /// <summary>How often the relay's log says a round failed (and its rows were handed back to be sent again).</summary>
    private static int RelayGaveUp(List<string> lines) =>
        lines.Count(line => line.Contains("Outbox relay failed", StringComparison.Ordinal));

    private static async Task RabbitMqCtlAsync(LocalRabbitMQResource broker, params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/lib/rabbitmq/bin/rabbitmqctl", ["-n", broker.NodeName, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The node's cookie is in its home, where rabbitmqctl looks for it.
        start.Environment["HOME"] = Path.GetDirectoryName(broker.PidFile)!;
        using var ctl = Process.Start(start)!;
        var output = await ctl.StandardOutput.ReadToEndAsync(Api.Cancel) + await ctl.StandardError.ReadToEndAsync(Api.Cancel);
        await ctl.WaitForExitAsync(Api.Cancel);
        Assert.True(ctl.ExitCode == 0, $"rabbitmqctl {string.Join(' ', arguments)}: {output}");
    }

    [Fact(Timeout = 400_000)]
    public async Task With_every_message_delivered_twice_each_stage_acts_once()
    {
        // The suite runs with Funnel:DeliverEveryMessageTwice (FunnelApp): every hand-off below arrives twice.
        const int customers = 20;
        var owner = Api.Unique("twice");
        var contacts = new Contacts(_gateway);
        var won = new List<string>();
        // Five at a time: one user's calls and polls for twenty at once would pass the gateway's per-user rate limit.
        foreach (var batch in Enumerable.Range(0, customers).Chunk(5))
        {
            won.AddRange(await Task.WhenAll(batch.Select(async _ =>
            {
                var id = await contacts.Prospect(owner);
                var quote = await contacts.DraftQuote(id);
                await (await _gateway.Post($"/api/quoting/{id}/quotes/{quote}/send")).Json(HttpStatusCode.OK);
                await (await _gateway.Post($"/api/quoting/{id}/quotes/{quote}/accept")).Json(HttpStatusCode.Accepted);
                return id;
            })));
        }

        var journeys = await Task.WhenAll(won.Select(id => _gateway.Eventually($"/api/pipeline/contacts/{id}",
            j => j["status"]!.GetValue<string>() == "won")));
        await Task.Delay(TimeSpan.FromSeconds(3), Api.Cancel); // let any second delivery land
        var orders = await (await _gateway.GetAsync($"/api/orders?owner={owner}&pageSize=200", Api.Cancel)).Json(HttpStatusCode.OK);
        var sales = await (await _gateway.GetAsync("/api/sales", Api.Cancel)).Json(HttpStatusCode.OK);
        var mine = sales["bySalesperson"]!.AsArray().Single(s => s!["owner"]!.GetValue<string>() == owner)!;
        var doubled = 0;
        foreach (var id in won)
        {
            var journey = await (await _gateway.GetAsync($"/api/pipeline/contacts/{id}", Api.Cancel)).Json(HttpStatusCode.OK);
            var events = journey["events"]!.AsArray()
                .Select(e => (Type: e!["type"]!.GetValue<string>(), Stage: e["stage"]!.GetValue<string>())).ToList();
            // Each consumer's effect shows once: the case opened once (then 3 tasks: 4 checklists), the opportunity
            // opened once (at 10 %, then 60 % on sending; 2 checklists: opened, quote drafted), one order.
            var expected = new Dictionary<(string, string), int>
            {
                [("ChecklistChanged", "qualified-lead")] = 4,
                [("ChecklistChanged", "prospect")] = 2,
                [("OpportunityProgressed", "prospect")] = 2,
                [("OrderPlaced", "customer")] = 1,
            };
            doubled += expected.Count(e => events.Count(x => x == e.Key) != e.Value);
            var customer = await (await _gateway.GetAsync($"/api/customers/{id}", Api.Cancel)).Json(HttpStatusCode.OK);
            doubled += customer["orders"]!.AsArray().Count - 1;
        }

        Figures.Print("deliver every message twice", ("contacts won", customers), ("journeys", journeys.Length),
            ("orders", orders["total"]!.GetValue<int>()), ("sales orders", mine["orders"]!.GetValue<int>()),
            ("duplicated effects", doubled));
        Assert.Equal((customers, customers, 0), (orders["total"]!.GetValue<int>(), mine["orders"]!.GetValue<int>(), doubled));
    }

    private async Task<List<string>> CaptureAsync(string owner, int count)
    {
        var answers = await Batched(Enumerable.Range(0, count).Select(i => i.ToString()).ToList(), i =>
            _gateway.Post("/api/leads", new { name = $"Flow {i}", company = "Flow Ltd", email = $"{owner}.{i}@example.com", owner }));
        return (await Task.WhenAll(answers.Select(async a => (await a.Json(HttpStatusCode.Created))["contactId"]!.GetValue<string>()))).ToList();
    }

    private static async Task<HttpResponseMessage[]> Batched<T>(IReadOnlyList<T> items, Func<T, Task<HttpResponseMessage>> send)
    {
        var answers = new List<HttpResponseMessage>();
        foreach (var batch in items.Chunk(25))
        {
            answers.AddRange(await Task.WhenAll(batch.Select(item => Api.Politely(() => send(item)))));
        }
        return answers.ToArray();
    }
}

/// <summary>Figures a test measured, printed where `dotnet test --logger "console;verbosity=detailed"` shows them.</summary>
internal static class Figures
{
    public static void Print(string run, params (string Name, object Value)[] figures) =>
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"FIGURES {run}: {string.Join(", ", figures.Select(f => $"{f.Name} {f.Value}"))}");
}
