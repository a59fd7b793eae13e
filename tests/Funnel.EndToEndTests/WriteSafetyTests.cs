using System.Net.Http.Headers;

namespace Funnel.EndToEndTests;

/// <summary>Retried writes have one effect, stale writes are refused, oversized bodies are turned away.</summary>
public class WriteSafetyTests(FunnelApp funnel)
{
    private readonly HttpClient _gateway = funnel.Gateway;

    [Fact(Timeout = 120_000)]
    public async Task The_same_Idempotency_Key_gives_the_same_answer_and_one_effect()
    {
        var key = Guid.NewGuid().ToString();
        var lead = new { name = "Retry Rita", email = $"{Api.Unique("rita")}@example.com" };

        var first = await Send(key, lead);
        var again = await Send(key, lead);
        var racing = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Send(key, lead)));
        var otherBody = await Send(key, new { name = "Someone else", email = $"{Api.Unique("else")}@example.com" });

        var created = await first.Json(HttpStatusCode.Created);
        var replayed = await again.Json(HttpStatusCode.Created);
        Assert.Equal(created.ToJsonString(), replayed.ToJsonString());
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.All(racing, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        await otherBody.Problem(HttpStatusCode.UnprocessableEntity);
        var search = await (await _gateway.GetAsync($"/api/leads?search={lead.email}", Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.Equal(1, search["total"]!.GetValue<int>());

        // A racing pair with a fresh key: one effect, both answered alike.
        var pairKey = Guid.NewGuid().ToString();
        var prospect = await new Contacts(_gateway).Prospect(Api.Unique("rep"));
        var pair = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Send(pairKey,
            new { kind = "demo", summary = "Demo day" }, $"/api/quoting/{prospect}/activities")));
        Assert.All(pair, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var opportunity = await (await _gateway.GetAsync($"/api/quoting/{prospect}", Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.Single(opportunity["activities"]!.AsArray());
    }

    [Fact(Timeout = 120_000)]
    public async Task An_Idempotency_Key_keeps_only_an_answer_with_an_effect_counts_If_Match_and_expires_after_a_day()
    {
        // A refused request is not kept: corrected, it goes through under the same key.
        var key = Guid.NewGuid().ToString();
        var email = $"{Api.Unique("fix")}@example.com";
        await (await Send(key, new { email })).Problem(HttpStatusCode.BadRequest);
        var capture = await Send(key, new { name = "Fixed Fay", email });
        var lead = (await capture.Json(HttpStatusCode.Created))["contactId"]!.GetValue<string>();

        // The same edit sent against another revision is another request, not a replay of the first.
        var editKey = Guid.NewGuid().ToString();
        var edited = await SendPatch(editKey, lead, capture.Headers.ETag!.Tag, new { notes = "Call after nine." });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var againstAnother = await SendPatch(editKey, lead, "\"999\"", new { notes = "Call after nine." });
        await againstAnother.Problem(HttpStatusCode.UnprocessableEntity);

        // A day later the key is forgotten: the same request is new, and answered as the system now stands.
        var replay = await Send(key, new { name = "Fixed Fay", email });
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        await AgeIdempotencyKeyAsync("leads", "e2e-manager", key, TimeSpan.FromHours(25));
        var afterADay = await Send(key, new { name = "Fixed Fay", email });
        var duplicate = await afterADay.Problem(HttpStatusCode.Conflict);
        Assert.False(afterADay.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(lead, duplicate["existingContactId"]!.GetValue<string>());
    }

    /// <summary>
    /// Moves one stored key back in time (times are stored as UTC ticks). Only this test's key: another key aged would
    /// be purged, and the moved installation (ScaleOutTests) finds every other key of this database again.
    /// </summary>
    private async Task AgeIdempotencyKeyAsync(string service, string caller, string key, TimeSpan by)
    {
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection(
            $"Data Source={Path.Combine(funnel.DataPath, service + "-db.db")};Default Timeout=30");
        await db.OpenAsync(Api.Cancel);
        await using var command = db.CreateCommand();
        command.CommandText = "UPDATE idempotent_requests SET \"CreatedAt\" = \"CreatedAt\" - $ticks " +
                              "WHERE \"Caller\" = $caller AND \"Key\" = $key";
        command.Parameters.AddWithValue("$ticks", by.Ticks);
        command.Parameters.AddWithValue("$caller", caller);
        command.Parameters.AddWithValue("$key", key);
        Assert.Equal(1, await command.ExecuteNonQueryAsync(Api.Cancel));
    }

    private Task<HttpResponseMessage> SendPatch(string key, string lead, string ifMatch, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/leads/{lead}") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return _gateway.SendAsync(request, Api.Cancel);
    }

    [Fact(Timeout = 120_000)]
    public async Task An_import_is_read_whole_before_any_row_lands_and_answers_later_when_asked()
    {
        var owner = Api.Unique("whole");
        var importer = funnel.GatewayAs(owner);
        string Rows(int count, int? brokenAt = null) => "name,company,email,phone,source,owner\n" + string.Concat(
            Enumerable.Range(0, count).Select(i => i == brokenAt ? $"\"Broken {i},,b{i}.{owner}@example.com,,web,\n"
                : $"Row {i},,r{i}.{owner}@example.com,,web,\n"));

        // A quote left open far down the file: nothing of the file is imported.
        var broken = await importer.PostAsync("/api/leads/import",
            new StringContent(Rows(1_500, brokenAt: 1_200), new MediaTypeHeaderValue("text/csv")), Api.Cancel);
        var problem = await broken.Problem(HttpStatusCode.BadRequest);
        Assert.Contains("Line 1202", problem["errors"]!["file"]![0]!.GetValue<string>());
        var none = await (await importer.GetAsync("/api/leads", Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.Equal(0, none["total"]!.GetValue<int>());

        // A small file, asked to answer later: 202, then its progress and outcomes.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/leads/import")
        {
            Content = new StringContent(Rows(3), new MediaTypeHeaderValue("text/csv")),
        };
        request.Headers.Add("Prefer", "respond-async");
        var started = await importer.SendAsync(request, Api.Cancel);
        await started.Json(HttpStatusCode.Accepted);
        var done = await importer.Eventually(started.Headers.Location!.OriginalString,
            p => p["status"]!.GetValue<string>() == "done");
        Assert.Equal((3, 3), (done["imported"]!.GetValue<int>(), done["results"]!["items"]!.AsArray().Count));
        // Another salesperson cannot read it.
        await (await funnel.GatewayAs(Api.Unique("other")).GetAsync(started.Headers.Location!.OriginalString, Api.Cancel))
            .Problem(HttpStatusCode.NotFound);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_write_with_a_stale_ETag_is_412_and_changes_nothing()
    {
        var prospect = await new Contacts(_gateway).Prospect(Api.Unique("rep"));
        using var read = await _gateway.GetAsync($"/api/quoting/{prospect}", Api.Cancel);
        var etag = read.Headers.ETag!.ToString();

        using var first = new HttpRequestMessage(HttpMethod.Put, $"/api/quoting/{prospect}/progress")
        {
            Content = JsonContent.Create(new { percentComplete = 35 }),
        };
        first.Headers.TryAddWithoutValidation("If-Match", etag);
        using var firstAnswer = await _gateway.SendAsync(first, Api.Cancel);
        await firstAnswer.Json(HttpStatusCode.OK);
        Assert.NotEqual(etag, firstAnswer.Headers.ETag!.ToString());

        using var second = new HttpRequestMessage(HttpMethod.Put, $"/api/quoting/{prospect}/progress")
        {
            Content = JsonContent.Create(new { percentComplete = 90 }),
        };
        second.Headers.TryAddWithoutValidation("If-Match", etag);
        await (await _gateway.SendAsync(second, Api.Cancel)).Problem(HttpStatusCode.PreconditionFailed);

        var now = await (await _gateway.GetAsync($"/api/quoting/{prospect}", Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.Equal(35, now["percentComplete"]!.GetValue<int>());
    }

    [Fact(Timeout = 60_000)]
    public async Task An_oversized_body_is_413_and_nothing_is_written()
    {
        var email = $"{Api.Unique("big")}@example.com";
        var body = $"{{\"name\":\"Big\",\"email\":\"{email}\",\"notes\":\"{new string('x', 300_000)}\"}}";

        await (await _gateway.PostRaw("/api/leads", body)).Problem(HttpStatusCode.RequestEntityTooLarge);

        var search = await (await _gateway.GetAsync($"/api/leads?search={email}", Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.Equal(0, search["total"]!.GetValue<int>());
    }

    private Task<HttpResponseMessage> Send(string key, object body, string path = "/api/leads")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return _gateway.SendAsync(request, Api.Cancel);
    }
}
