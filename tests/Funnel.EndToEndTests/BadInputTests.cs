using System.Net.Http.Headers;
using System.Text;

namespace Funnel.EndToEndTests;

/// <summary>
/// A corpus of bad requests over every endpoint: malformed JSON, wrong types, unknown enum values, missing fields,
/// out-of-range numbers, oversized bodies, wrong media types, unknown ids and impossible moves. Each must get a 4xx
/// ProblemDetails and change nothing.
/// </summary>
public class BadInputTests(FunnelApp funnel)
{
    [Fact(Timeout = 300_000)]
    public async Task Bad_requests_get_4xx_problems_and_write_nothing()
    {
        var owner = Api.Unique("bad");
        var client = funnel.GatewayAs(owner);
        var contacts = new Contacts(client);
        var lead = await contacts.Lead(owner);
        var lostLead = await contacts.Lead(owner);
        await (await client.Post($"/api/leads/{lostLead}/disqualify", new { reason = "test" })).Json(HttpStatusCode.OK);
        var qualified = await contacts.QualifiedLead(owner);
        var prospect = await contacts.Prospect(owner);
        var quote = await contacts.DraftQuote(prospect);
        var before = await SnapshotAsync(client, owner, lead, lostLead, qualified, prospect);

        var corpus = Corpus(lead, lostLead, qualified, prospect, quote).ToList();
        var failures = new List<string>();
        var serverErrors = 0;
        foreach (var (method, path, body, contentType) in corpus)
        {
            // 221 requests go past the gateway's 200 per second per user on a quick run; a 429 would test nothing.
            using var response = await Api.Politely(() =>
            {
                var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (body is not null)
                {
                    request.Content = new StringContent(body, Encoding.UTF8);
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
                }
                if (method == "PATCH" && !path.Contains("no-if-match", StringComparison.Ordinal))
                {
                    request.Headers.TryAddWithoutValidation("If-Match", "*");
                }
                return client.SendAsync(request, Api.Cancel);
            });
            var status = (int)response.StatusCode;
            serverErrors += status >= 500 ? 1 : 0;
            if (status is < 400 or >= 500 || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"{method} {path} {Shorten(body)} -> {status} {response.Content.Headers.ContentType?.MediaType}");
            }
        }
        var after = await SnapshotAsync(client, owner, lead, lostLead, qualified, prospect);

        Figures.Print("bad-input corpus", ("requests tried", corpus.Count), ("5xx", serverErrors),
            ("not a 4xx problem", failures.Count), ("records changed", before == after ? 0 : 1));
        Assert.True(corpus.Count >= 200, $"the corpus has only {corpus.Count} requests");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(before, after);
    }

    private static IEnumerable<(string Method, string Path, string? Body, string ContentType)> Corpus(
        string lead, string lostLead, string qualified, string prospect, string quote)
    {
        const string json = "application/json";
        var unknown = Guid.NewGuid();
        string[] malformed = ["{", "{\"name\": \"A\",", "[1, 2]", "\"text\"", "nul", "", "{\"name\": \"A\"} trailing"];

        // Every JSON write: malformed bodies, a wrong media type, and a body past the limit.
        string[] writes =
        [
            "/api/leads", $"/api/leads/{lead}/disqualify", $"/api/qualification/{qualified}/interactions",
            $"/api/qualification/{qualified}/interest", $"/api/qualification/{qualified}/credit-check",
            $"/api/qualification/{qualified}/disqualify", $"/api/quoting/{prospect}/activities",
            $"/api/quoting/{prospect}/quotes", $"/api/quoting/{prospect}/quotes/{quote}/reject", $"/api/quoting/{prospect}/lose",
        ];
        foreach (var path in writes)
        {
            foreach (var body in malformed)
            {
                yield return ("POST", path, body, json);
            }
            yield return ("POST", path, "{\"reason\":\"plain text\"}", "text/plain");
            yield return ("POST", path, $"{{\"reason\":\"{new string('x', 300_000)}\"}}", json);
        }
        foreach (var body in malformed.Append("{\"status\":\"qualified\"}").Append("{\"email\":\"not-an-email\"}")
                     .Append("{\"name\":\"\"}").Append("{\"owner\":42}").Append("[]"))
        {
            yield return ("PATCH", $"/api/leads/{lead}", body, json);
        }
        yield return ("PATCH", $"/api/leads/{lead}?no-if-match", "{\"company\":\"X\"}", json);
        yield return ("PATCH", $"/api/leads/{unknown}", "{\"company\":\"X\"}", json);

        // Leads: fields one by one.
        foreach (var body in new[]
        {
            "{}", "{\"name\":\"\"}", "{\"name\":\"A\"}", "{\"name\":\"A\",\"email\":\"nope\"}", "{\"name\":\"A\",\"phone\":\"12\"}",
            "{\"name\":\"A\",\"phone\":\"call me maybe\"}", "{\"name\":\"A\",\"email\":\"a@b.example\",\"source\":\"tv\"}",
            "{\"name\":\"A\",\"email\":\"a@b.example\",\"source\":3}", "{\"name\":\"A\",\"email\":\"a@b.example\",\"source\":\"referral\"}",
            $"{{\"name\":\"A\",\"email\":\"a@b.example\",\"source\":\"referral\",\"referredBy\":\"{unknown}\"}}",
            "{\"name\":\"A\",\"email\":\"a@b.example\",\"referredBy\":\"not-a-guid\"}", "{\"name\":123,\"email\":\"a@b.example\"}",
            "{\"name\":\"A\",\"email\":[\"a@b.example\"]}", $"{{\"name\":\"{new string('n', 201)}\",\"email\":\"a@b.example\"}}",
            "{\"name\":\"A\",\"email\":\"a@b.example\",\"owner\":\"someone-else\"}", "{\"name\":null,\"email\":\"a@b.example\"}",
        })
        {
            yield return ("POST", "/api/leads", body, json);
        }
        yield return ("POST", "/api/leads/import", "name,email\nA,a@b.example", "text/plain");
        yield return ("POST", "/api/leads/import", "", "text/csv");
        yield return ("POST", "/api/leads/import", "nom,courriel\nA,a@b.example", "text/csv");
        yield return ("POST", "/api/leads/import", "name,email\n\"A,a@b.example", "text/csv");
        yield return ("POST", "/api/leads/import", "name,email,name\nA,a@b.example,B", "text/csv");

        // Moves the state does not allow, or on contacts that do not exist.
        yield return ("POST", $"/api/leads/{lostLead}/qualify", null, json);
        yield return ("POST", $"/api/leads/{lostLead}/disqualify", "{\"reason\":\"again\"}", json);
        yield return ("POST", $"/api/leads/{lead}/reopen", null, json);
        yield return ("POST", $"/api/leads/{unknown}/qualify", null, json);
        yield return ("POST", $"/api/leads/{unknown}/reopen", null, json);
        yield return ("POST", $"/api/leads/{lead}/disqualify", "{\"reason\":\"\"}", json);
        yield return ("POST", $"/api/leads/{lead}/disqualify", "{}", json);
        yield return ("POST", $"/api/qualification/{qualified}/promote", null, json);
        yield return ("POST", $"/api/qualification/{unknown}/promote", null, json);
        yield return ("POST", $"/api/quoting/{prospect}/quotes/{quote}/accept", null, json);
        yield return ("POST", $"/api/quoting/{prospect}/quotes/{unknown}/send", null, json);
        yield return ("POST", $"/api/quoting/{prospect}/quotes/{unknown}/accept", null, json);
        yield return ("POST", $"/api/quoting/{unknown}/quotes/{quote}/send", null, json);

        // Qualification: fields one by one.
        foreach (var body in new[]
        {
            "{}", "{\"kind\":\"fax\",\"summary\":\"x\"}", "{\"kind\":\"call\"}", "{\"kind\":\"call\",\"summary\":\"\"}",
            "{\"kind\":\"call\",\"summary\":\"x\",\"occurredAt\":\"2999-01-01T00:00:00Z\"}",
            "{\"kind\":\"call\",\"summary\":\"x\",\"occurredAt\":\"yesterday\"}", "{\"kind\":7,\"summary\":\"x\"}",
        })
        {
            yield return ("POST", $"/api/qualification/{qualified}/interactions", body, json);
            yield return ("POST", $"/api/qualification/{unknown}/interactions", body, json);
        }
        foreach (var body in new[] { "{}", "{\"interested\":\"yes\"}", "{\"interested\":null}", $"{{\"interested\":true,\"notes\":\"{new string('n', 2001)}\"}}" })
        {
            yield return ("POST", $"/api/qualification/{qualified}/interest", body, json);
        }
        foreach (var body in new[]
        {
            "{}", "{\"requestedLimit\":\"lots\"}", "{\"requestedLimit\":{\"amount\":-5,\"currency\":\"EUR\"}}",
            "{\"requestedLimit\":{\"amount\":0,\"currency\":\"EUR\"}}", "{\"requestedLimit\":{\"amount\":10.001,\"currency\":\"EUR\"}}",
            "{\"requestedLimit\":{\"amount\":10,\"currency\":\"euro\"}}", "{\"requestedLimit\":{\"amount\":10}}",
            "{\"requestedLimit\":{\"amount\":1e30,\"currency\":\"EUR\"}}", "{\"requestedLimit\":{\"amount\":\"ten\",\"currency\":\"EUR\"}}",
        })
        {
            yield return ("POST", $"/api/qualification/{qualified}/credit-check", body, json);
        }

        // Quoting: fields one by one.
        foreach (var body in new[]
        {
            "{}", "{\"kind\":\"webinar\",\"summary\":\"x\"}", "{\"kind\":\"demo\"}",
            "{\"kind\":\"demo\",\"summary\":\"x\",\"occurredAt\":\"2999-01-01T00:00:00Z\"}",
        })
        {
            yield return ("POST", $"/api/quoting/{prospect}/activities", body, json);
        }
        foreach (var body in new[]
        {
            "{}", "{\"percentComplete\":101}", "{\"percentComplete\":-1}", "{\"percentComplete\":\"half\"}",
            "{\"percentComplete\":50,\"expectedCloseDate\":\"2000-01-01\"}", "{\"expectedCloseDate\":\"2030-01-01\"}",
            "{\"percentComplete\":50,\"expectedCloseDate\":\"someday\"}", "{\"percentComplete\":50.5}", "not json",
        })
        {
            yield return ("PUT", $"/api/quoting/{prospect}/progress", body, json);
        }
        var line = "{\"sku\":\"S\",\"description\":\"d\",\"quantity\":1,\"unitPrice\":10,\"discountPercent\":0}";
        foreach (var body in new[]
        {
            "{}", $"{{\"currency\":\"euro\",\"validUntil\":\"2030-01-01\",\"lines\":[{line}]}}",
            $"{{\"currency\":\"EUR\",\"validUntil\":\"2000-01-01\",\"lines\":[{line}]}}",
            "{\"currency\":\"EUR\",\"validUntil\":\"2030-01-01\",\"lines\":[]}", "{\"currency\":\"EUR\",\"validUntil\":\"2030-01-01\"}",
            $"{{\"currency\":\"EUR\",\"lines\":[{line}]}}",
            "{\"currency\":\"EUR\",\"validUntil\":\"2030-01-01\",\"lines\":[{\"sku\":\"S\",\"description\":\"d\",\"quantity\":0,\"unitPrice\":10}]}",
            "{\"currency\":\"EUR\",\"validUntil\":\"2030-01-01\",\"lines\":[{\"sku\":\"S\",\"description\":\"d\",\"quantity\":1,\"unitPrice\":-1}]}",
            "{\"currency\":\"EUR\",\"validUntil\":\"2030-01-01\",\"lines\":[{\"sku\":\"S\",\"description\":\"d\",\"quantity\":1,\"unitPrice\":10.001}]}",
            "{\"currency\":\"EUR\",\"validUntil\":\"2030-01-01\",\"lines\":[{\"sku\":\"S\",\"description\":\"d\",\"quantity\":1,\"unitPrice\":10,\"discountPercent\":101}]}",
            "{\"currency\":\"EUR\",\"validUntil\":\"2030-01-01\",\"lines\":[{\"description\":\"d\",\"quantity\":1,\"unitPrice\":10}]}",
            "{\"currency\":\"EUR\",\"validUntil\":\"2030-01-01\",\"lines\":[null]}",
            $"{{\"currency\":\"EUR\",\"validUntil\":\"2030-01-01\",\"lines\":[{string.Join(",", Enumerable.Repeat(line, 201))}]}}",
            "{\"currency\":\"EUR\",\"validUntil\":\"2030-01-01\",\"lines\":\"many\"}",
        })
        {
            yield return ("POST", $"/api/quoting/{prospect}/quotes", body, json);
        }
        yield return ("POST", $"/api/quoting/{prospect}/quotes/{quote}/reject", "{\"reason\":\"\"}", json);
        yield return ("POST", $"/api/quoting/{prospect}/lose", "{\"reason\":\"   \"}", json);

        // Reads with bad parameters or unknown ids.
        foreach (var path in new[]
        {
            "/api/leads?status=sleeping", "/api/leads?source=tv", "/api/leads?pageSize=0", "/api/leads?page=0",
            "/api/leads?pageSize=1000", "/api/leads?page=abc", $"/api/leads?search={new string('s', 201)}",
            "/api/qualification?status=done", "/api/quoting?status=maybe", "/api/orders?from=notadate",
            "/api/orders?from=2027-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "/api/sales?to=yesterday",
            "/api/sales?from=2027-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "/api/pipeline/funnel?from=x",
            "/api/pipeline/funnel?from=2027-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "/api/pipeline/board?limit=1000",
            "/api/pipeline/stale?pageSize=0", "/api/pipeline/stale?asOf=never", $"/api/leads/{unknown}",
            $"/api/qualification/{unknown}", $"/api/quoting/{unknown}", $"/api/orders/{unknown}", $"/api/customers/{unknown}",
            $"/api/pipeline/contacts/{unknown}", "/api/leads/not-a-guid", "/api/orders/42", "/api/customers/someone",
            $"/api/pipeline/contacts/{unknown}/events", $"/api/pipeline/contacts/{qualified}/events?page=0",
            $"/api/qualification/{unknown}/interactions", $"/api/qualification/{qualified}/interactions?pageSize=201",
            $"/api/quoting/{unknown}/activities", $"/api/quoting/{prospect}/activities?page=x",
        })
        {
            yield return ("GET", path, null, json);
        }
    }

    /// <summary>What the corpus must not change: the salesperson's lists and each record's revision.</summary>
    private static async Task<string> SnapshotAsync(HttpClient client, string owner, params string[] contacts)
    {
        var parts = new List<string>();
        foreach (var list in new[] { "/api/leads", "/api/qualification", "/api/quoting", "/api/orders" })
        {
            var page = await (await Api.Politely(() => client.GetAsync($"{list}?owner={owner}&pageSize=1", Api.Cancel))).Json(HttpStatusCode.OK);
            parts.Add($"{list}={page["total"]}");
        }
        foreach (var id in contacts)
        {
            foreach (var record in new[] { $"/api/leads/{id}", $"/api/qualification/{id}", $"/api/quoting/{id}" })
            {
                using var response = await Api.Politely(() => client.GetAsync(record, Api.Cancel));
                parts.Add($"{record}={(int)response.StatusCode}:{response.Headers.ETag}");
            }
        }
        return string.Join("\n", parts);
    }

    private static string Shorten(string? body) => body is null ? "" : body.Length > 80 ? body[..80] + "…" : body;
}
