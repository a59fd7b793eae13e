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
