using System.Net.Http.Headers;
using Funnel.Testing;

namespace Funnel.EndToEndTests;

/// <summary>Small helpers for talking to the gateway the way a front end does.</summary>
internal static class Api
{
    public static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static async Task<JsonNode> Json(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == expected,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected " +
            $"{(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>Asserts an RFC 9457 answer with the given status and returns it.</summary>
    public static async Task<JsonNode> Problem(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var problem = await response.Json(expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(problem["title"]?.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(problem["type"]?.GetValue<string>()));
        return problem;
    }

    /// <summary>As a well-behaved client: a 429 is sent again after its Retry-After (the harness's polite send).</summary>
    public static Task<HttpResponseMessage> Politely(Func<Task<HttpResponseMessage>> send) => Polite.SendAsync(send, Cancel);

    public static Task<HttpResponseMessage> Post(this HttpClient gateway, string path, object? body = null) =>
        gateway.PostAsJsonAsync(path, body ?? new { }, Cancel);

    public static Task<HttpResponseMessage> PostRaw(this HttpClient gateway, string path, string body,
        string contentType = "application/json") =>
        gateway.PostAsync(path, new StringContent(body, new MediaTypeHeaderValue(contentType)), Cancel);

    /// <summary>Reads <paramref name="path"/> until it answers 200 and <paramref name="until"/> holds: a hand-off
    /// reaches the next stage by message, a moment after the 202.</summary>
    public static async Task<JsonNode> Eventually(this HttpClient gateway, string path, Func<JsonNode, bool>? until = null,
        TimeSpan? within = null)
    {
        var wait = within ?? TimeSpan.FromSeconds(30);
        var deadline = DateTime.UtcNow + wait;
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            // Each read is bounded, so a service that is restarting costs one attempt, not the whole wait.
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
            attempt.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                using var response = await gateway.GetAsync(path, attempt.Token);
                var body = await response.Content.ReadAsStringAsync(attempt.Token);
                last = $"{(int)response.StatusCode} {body}";
                if (response.IsSuccessStatusCode && JsonNode.Parse(body) is { } node && (until is null || until(node)))
                {
                    return node;
                }
            }
            catch (OperationCanceledException) when (!Cancel.IsCancellationRequested)
            {
                last = "no answer within 10 s";
            }
            await Task.Delay(100, Cancel);
        }
        Assert.Fail($"GET {path} did not reach the expected state within {wait.TotalSeconds} s; last answer: {last}");
        return null!;
    }

    public static Task<HttpResponseMessage> Patch(this HttpClient gateway, string path, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, path) { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return gateway.SendAsync(request, Cancel);
    }

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static string[] Strings(this JsonNode? array) =>
        array!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
}
