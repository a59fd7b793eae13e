namespace Funnel.EndToEndTests;

/// <summary>Several contacts of one salesperson, won and lost at each stage, seen by Pipeline through the gateway.</summary>
public class FunnelTests(FunnelApp funnel)
{
    private readonly HttpClient _gateway = funnel.Gateway;
    private readonly Contacts _contacts = new(funnel.Gateway);

    [Fact(Timeout = 180_000)]
    public async Task Leads_imported_and_qualified_at_once_visit_each_stage_once()
    {
        // Capture and qualification of an imported row carry one instant; the journey must still read lead first.
        var owner = Api.Unique("import");
        var rows = string.Join('\n', Enumerable.Range(0, 60).Select(i =>
            $"Contact {i},Co {i},c{i}.{owner}@example.com,,import,{owner}"));
        var result = await (await _gateway.PostAsync("/api/leads/import?qualify=true", new StringContent(
            $"name,company,email,phone,source,owner\n{rows}\n", new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv")),
            Api.Cancel)).Json(HttpStatusCode.OK);
        var ids = result["results"]!.AsArray().Select(r => r!["contactId"]!.GetValue<string>()).ToList();
        Assert.Equal(60, ids.Count);

        var twice = 0;
        foreach (var id in ids)
        {
            var journey = await _gateway.Eventually($"/api/pipeline/contacts/{id}",
                j => j["history"]!.AsArray().Count >= 2);
            var stages = journey["history"]!.AsArray().Select(v => v!["stage"]!.GetValue<string>()).ToList();
            twice += stages.Count == stages.Distinct().Count() ? 0 : 1;
            Assert.Equal(["lead", "qualified-lead"], stages);
        }
        Figures.Print("import with qualify=true", ("journeys", ids.Count), ("visiting a stage twice", twice));
    }

    [Fact(Timeout = 180_000)]
    public async Task A_long_history_is_shown_by_its_latest_entries_and_paged_in_full()
    {
        var owner = Api.Unique("busy");
        var id = await _contacts.QualifiedLead(owner);
        // Each interaction is also a checklist event in the journey.
        for (var n = 1; n <= 30; n++)
        {
            await (await _gateway.Post($"/api/qualification/{id}/interactions",
                new { kind = "call", summary = $"call {n}", occurredAt = DateTimeOffset.UtcNow.AddMinutes(n - 60) })).Json(HttpStatusCode.Created);
        }

        var @case = await (await _gateway.GetAsync($"/api/qualification/{id}", Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.Equal(30, @case["interactionCount"]!.GetValue<int>());
        Assert.Equal(["call 26", "call 27", "call 28", "call 29", "call 30"],
            @case["interactions"]!.AsArray().Select(i => i!["summary"]!.GetValue<string>()));
        var interactions = new List<string>();
        for (var page = 1; page <= 4; page++)
        {
            var paged = await (await _gateway.GetAsync($"/api/qualification/{id}/interactions?page={page}&pageSize=8", Api.Cancel))
                .Json(HttpStatusCode.OK);
            Assert.Equal(30, paged["total"]!.GetValue<int>());
            interactions.AddRange(paged["items"]!.AsArray().Select(i => i!["summary"]!.GetValue<string>()));
        }
        Assert.Equal(Enumerable.Range(1, 30).Select(n => $"call {n}"), interactions);

        // LeadCaptured, LeadQualified, the case's opening checklist and one per interaction.
        var journey = await _gateway.Eventually($"/api/pipeline/contacts/{id}", j => j["eventCount"]!.GetValue<int>() == 33);
        Assert.Equal(20, journey["events"]!.AsArray().Count);
        var events = new List<JsonNode>();
        for (var page = 1; page <= 2; page++)
        {
            var paged = await (await _gateway.GetAsync($"/api/pipeline/contacts/{id}/events?page={page}&pageSize=20", Api.Cancel))
                .Json(HttpStatusCode.OK);
            Assert.Equal(33, paged["total"]!.GetValue<int>());
            events.AddRange(paged["items"]!.AsArray().Select(e => e!));
        }
        Assert.Equal(["LeadCaptured", "LeadQualified", .. Enumerable.Repeat("ChecklistChanged", 31)],
            events.Select(e => e["type"]!.GetValue<string>()));
        Assert.Equal(journey["events"]!.AsArray().Select(e => e!["eventId"]!.GetValue<string>()),
            events.TakeLast(20).Select(e => e["eventId"]!.GetValue<string>()));


        // An opportunity's activities likewise.
        var prospect = await _contacts.Prospect(owner);
        for (var n = 1; n <= 7; n++)
        {
            await (await _gateway.Post($"/api/quoting/{prospect}/activities",
                new { kind = n == 1 ? "sample" : "email", summary = $"activity {n}", occurredAt = DateTimeOffset.UtcNow.AddMinutes(n - 60) }))
                .Json(HttpStatusCode.Created);
        }
        var opportunity = await (await _gateway.GetAsync($"/api/quoting/{prospect}", Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.Equal(7, opportunity["activityCount"]!.GetValue<int>());
        Assert.Equal(Enumerable.Range(3, 5).Select(n => $"activity {n}"),
            opportunity["activities"]!.AsArray().Select(a => a!["summary"]!.GetValue<string>()));
        var first = await (await _gateway.GetAsync($"/api/quoting/{prospect}/activities?pageSize=2", Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.Equal((7, "activity 1"), (first["total"]!.GetValue<int>(), first["items"]![0]!["summary"]!.GetValue<string>()));
    }

    [Fact(Timeout = 180_000)]
    public async Task The_funnel_board_and_stale_list_add_up_and_a_rebuild_changes_nothing()
    {
        var owner = Api.Unique("rep");
        var from = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O");

        var lostLead = await _contacts.Lead(owner);
        await (await _gateway.Post($"/api/leads/{lostLead}/disqualify", new { reason = "No budget" })).Json(HttpStatusCode.OK);
        var lostQualified = await _contacts.QualifiedLead(owner);
        await (await _gateway.Post($"/api/qualification/{lostQualified}/disqualify", new { reason = "No credit" })).Json(HttpStatusCode.OK);
        var lostProspect = await _contacts.Prospect(owner);
        await (await _gateway.Post($"/api/quoting/{lostProspect}/lose", new { reason = "Chose a competitor" })).Json(HttpStatusCode.OK);
        var won = await _contacts.Prospect(owner);
        var wonQuote = await _contacts.DraftQuote(won);
        await (await _gateway.Post($"/api/quoting/{won}/quotes/{wonQuote}/send")).Json(HttpStatusCode.OK);
        await (await _gateway.Post($"/api/quoting/{won}/quotes/{wonQuote}/accept")).Json(HttpStatusCode.Accepted);
        var open = await _contacts.Prospect(owner);
        var openQuote = await _contacts.DraftQuote(open);
        await (await _gateway.Post($"/api/quoting/{open}/quotes/{openQuote}/send")).Json(HttpStatusCode.OK);
        await (await _gateway.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/api/quoting/{open}/progress")
        {
            Content = JsonContent.Create(new { percentComplete = 40 }),
        }, Api.Cancel)).Json(HttpStatusCode.OK);

        // Pipeline receives the stages' events in any order; a visit's start and end are final once the events that
        // bound it are in, so wait for those of every contact.
        await AwaitEvents(lostLead, "LeadCaptured", "ContactLost");
        await AwaitEvents(lostQualified, "LeadCaptured", "LeadQualified", "ContactLost");
        await AwaitEvents(lostProspect, "LeadCaptured", "LeadQualified", "ProspectQualified", "ContactLost");
        await AwaitEvents(won, "LeadCaptured", "LeadQualified", "ProspectQualified", "OrderPlaced");
        await AwaitEvents(open, "LeadCaptured", "LeadQualified", "ProspectQualified", "QuoteSent");

        var to = DateTimeOffset.UtcNow.AddMinutes(5).ToString("O");
        var funnelPath = $"/api/pipeline/funnel?owner={owner}&from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}";
        // And the 40 % of the open prospect.
        var report = await _gateway.Eventually(funnelPath, f =>
            Stage(f, "customer")["entered"]!.GetValue<int>() == 1 &&
            f["forecast"]!.AsArray().Count == 1 && f["forecast"]![0]!["weighted"]!["amount"]!.GetValue<decimal>() == 888.84m);

        // lead: all 5 entered, 4 moved on, 1 lost; qualified lead: 4, 3, 1; prospect: 3 entered, 1 won, 1 lost, 1 open
        Assert.Equal([("lead", 5, 4, 1), ("qualified-lead", 4, 3, 1), ("prospect", 3, 1, 1), ("customer", 1, 0, 0)],
            report["stages"]!.AsArray().Select(s => (s!["stage"]!.GetValue<string>(), s["entered"]!.GetValue<int>(),
                s["converted"]!.GetValue<int>(), s["lost"]!.GetValue<int>())));
        Assert.Equal(0.75, Stage(report, "qualified-lead")["conversionRate"]!.GetValue<double>());
        Assert.Equal(["No budget", "No credit", "Chose a competitor"],
            report["lostByReason"]!.AsArray().Select(r => r!["reason"]!.GetValue<string>()));
        var forecast = report["forecast"]![0]!;
        Assert.Equal((2222.10m, 1), (forecast["openValue"]!["amount"]!.GetValue<decimal>(), forecast["opportunities"]!.GetValue<int>()));
        var velocity = Assert.Single(report["velocity"]!.AsArray())!;
        Assert.Equal((1, 2222.10m, 0.5), (velocity["openOpportunities"]!.GetValue<int>(),
            velocity["averageWonDeal"]!["amount"]!.GetValue<decimal>(), velocity["winRate"]!.GetValue<double>()));

        var board = await (await _gateway.GetAsync($"/api/pipeline/board?owner={owner}", Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.Equal([("lead", 0), ("qualified-lead", 0), ("prospect", 1), ("customer", 1)], board["stages"]!.AsArray()
            .Select(s => (s!["stage"]!.GetValue<string>(), s["count"]!.GetValue<int>())));
        var prospects = board["stages"]![2]!;
        Assert.Equal(2222.10m, prospects["openValue"]![0]!["amount"]!.GetValue<decimal>());
        Assert.Equal(open, prospects["contacts"]![0]!["contactId"]!.GetValue<string>());

        var inFortyDays = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(40).ToString("O"));
        var stale = await (await _gateway.GetAsync($"/api/pipeline/stale?owner={owner}&asOf={inFortyDays}", Api.Cancel)).Json(HttpStatusCode.OK);
        var idle = Assert.Single(stale["items"]!.AsArray())!;
        Assert.Equal((open, "prospect", 30), (idle["contactId"]!.GetValue<string>(), idle["stage"]!.GetValue<string>(),
            idle["allowedDays"]!.GetValue<int>()));
        var notYet = await (await _gateway.GetAsync($"/api/pipeline/stale?owner={owner}", Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.Equal(0, notYet["total"]!.GetValue<int>());

        await funnel.RunCommandAsync("pipeline", "rebuild-read-model");

        var rebuilt = await (await _gateway.GetAsync(funnelPath, Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.Equal(report.ToJsonString(), rebuilt.ToJsonString());
        var boardAfter = await (await _gateway.GetAsync($"/api/pipeline/board?owner={owner}", Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.Equal(board.ToJsonString(), boardAfter.ToJsonString());
        var journey = await (await _gateway.GetAsync($"/api/pipeline/contacts/{won}", Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.Equal(("won", 2222.10m), (journey["status"]!.GetValue<string>(), journey["wonValue"]!["amount"]!.GetValue<decimal>()));
    }

    private Task AwaitEvents(string contactId, params string[] types) =>
        _gateway.Eventually($"/api/pipeline/contacts/{contactId}", journey => types.All(type =>
            journey["events"]!.AsArray().Any(e => e!["type"]!.GetValue<string>() == type)));

    private static JsonNode Stage(JsonNode report, string stage) =>
        report["stages"]!.AsArray().Single(s => s!["stage"]!.GetValue<string>() == stage)!;
}
