using System.Net.Http.Headers;

namespace Funnel.EndToEndTests;

/// <summary>No one in where they don't belong: tokens at the gateway and in every service, owners, rate, origins.</summary>
public class AuthTests(FunnelApp funnel)
{
    [Theory(Timeout = 60_000)]
    [InlineData("none")]
    [InlineData("forged")]
    [InlineData("expired")]
    [InlineData("no-user")]
    [InlineData("no-expiry")]
    [InlineData("over-long")]
    [InlineData("alg-none")]
    public async Task Without_a_valid_token_the_API_answers_401(string token)
    {
        using var client = funnel.GatewayAs(null);
        client.DefaultRequestHeaders.Authorization = token switch
        {
            "forged" => new AuthenticationHeaderValue("Bearer", Funnel.AppHost.Tokens.Create(
                Convert.ToBase64String(new byte[32]), "mallory", "manager", TimeSpan.FromHours(1))),
            "expired" => new AuthenticationHeaderValue("Bearer", funnel.Token("alice", "manager", TimeSpan.FromMinutes(-5))),
            // Fail closed: a validly signed token naming no user would otherwise narrow lists to no one.
            "no-user" => new AuthenticationHeaderValue("Bearer", funnel.Token("", "manager")),
            "no-expiry" => new AuthenticationHeaderValue("Bearer", Signed(funnel.SigningKey, new() { ["sub"] = "alice", ["role"] = "manager" })),
            "over-long" => new AuthenticationHeaderValue("Bearer", funnel.Token("alice", "manager", TimeSpan.FromDays(30))),
            "alg-none" => new AuthenticationHeaderValue("Bearer", Unsigned(new()
            {
                ["sub"] = "alice",
                ["role"] = "manager",
                ["exp"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()
            })),
            _ => null,
        };

        await (await client.GetAsync("/api/leads", Api.Cancel)).Problem(HttpStatusCode.Unauthorized);
        await (await client.Post("/api/leads", new { name = "Sneaky", email = "sneaky@example.com" })).Problem(HttpStatusCode.Unauthorized);
        // What needs no token: health and the API documentation.
        (await client.GetAsync("/health", Api.Cancel)).EnsureSuccessStatusCode();
        (await client.GetAsync("/openapi/leads.json", Api.Cancel)).EnsureSuccessStatusCode();
    }

    [Fact(Timeout = 60_000)]
    public async Task A_token_without_a_funnel_role_is_403()
    {
        using var intern = funnel.GatewayAs("ian", "intern");
        await (await intern.GetAsync("/api/leads", Api.Cancel)).Problem(HttpStatusCode.Forbidden);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("leads", "/api/leads")]
    [InlineData("qualification", "/api/qualification")]
    [InlineData("quoting", "/api/quoting")]
    [InlineData("orders", "/api/orders")]
    [InlineData("pipeline", "/api/pipeline/board")]
    public async Task Each_service_checks_the_token_itself(string service, string path)
    {
        var direct = funnel.Service(service);

        await (await direct.GetAsync(path, Api.Cancel)).Problem(HttpStatusCode.Unauthorized);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", funnel.Token("alice", "salesperson"));
        (await direct.SendAsync(request, Api.Cancel)).EnsureSuccessStatusCode();
    }

    [Fact(Timeout = 120_000)]
    public async Task A_salesperson_sees_and_changes_only_their_own_contacts()
    {
        var (alice, bob) = (Api.Unique("alice"), Api.Unique("bob"));
        var asAlice = funnel.GatewayAs(alice);
        var asBob = funnel.GatewayAs(bob);
        var alicesLead = await new Contacts(asAlice).Lead(alice);
        var bobsProspect = await new Contacts(asBob).Prospect(bob);

        await (await asAlice.GetAsync($"/api/leads/{alicesLead}", Api.Cancel)).Json(HttpStatusCode.OK);
        foreach (var (method, path) in new[]
        {
            ("GET", $"/api/leads/{bobsProspect}"), ("POST", $"/api/leads/{bobsProspect}/disqualify"),
            ("GET", $"/api/qualification/{bobsProspect}"), ("POST", $"/api/qualification/{bobsProspect}/promote"),
            ("GET", $"/api/quoting/{bobsProspect}"), ("POST", $"/api/quoting/{bobsProspect}/lose"),
            ("GET", $"/api/pipeline/contacts/{bobsProspect}"),
        })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { reason = "mine now" }) };
            // Another's contact is answered exactly as an unknown one.
            var refused = await (await asAlice.SendAsync(request, Api.Cancel)).Problem(HttpStatusCode.NotFound);
            Assert.Equal("urn:funnel:problem:not-found", refused["type"]!.GetValue<string>());
        }
        await (await asAlice.Patch($"/api/leads/{alicesLead}", new { owner = bob }, "*")).Problem(HttpStatusCode.Forbidden);
        await (await asAlice.Post("/api/leads", new { name = "For Bob", email = $"{Api.Unique("x")}@example.com", owner = bob }))
            .Problem(HttpStatusCode.Forbidden);

        // Every list and report is narrowed to the caller's own contacts, whatever owner they ask for.
        foreach (var path in new[]
        {
            $"/api/leads?owner={bob}", $"/api/qualification?owner={bob}", $"/api/quoting?owner={bob}",
            $"/api/orders?owner={bob}", "/api/sales", $"/api/pipeline/board?owner={bob}",
            $"/api/pipeline/funnel?owner={bob}", $"/api/pipeline/stale?asOf=2100-01-01&owner={bob}",
        })
        {
            var body = await (await asAlice.GetAsync(path, Api.Cancel)).Content.ReadAsStringAsync(Api.Cancel);
            Assert.DoesNotContain(bob, body);
            Assert.DoesNotContain(bobsProspect, body);
        }
        // Lists show a salesperson their own contacts, whatever owner they ask for.
        var leads = await (await asAlice.GetAsync($"/api/leads?owner={bob}", Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.Equal([alice], leads["items"]!.AsArray().Select(l => l!["owner"]!.GetValue<string>()).Distinct());
        var board = await (await asAlice.GetAsync($"/api/pipeline/board?owner={bob}", Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.Equal(alice, board["owner"]!.GetValue<string>());

        // A manager sees Bob's prospect and can hand Alice's lead to Bob.
        await (await funnel.Gateway.GetAsync($"/api/quoting/{bobsProspect}", Api.Cancel)).Json(HttpStatusCode.OK);
        var reassigned = await (await funnel.Gateway.Patch($"/api/leads/{alicesLead}", new { owner = bob }, "*")).Json(HttpStatusCode.OK);
        Assert.Equal(bob, reassigned["owner"]!.GetValue<string>());
        await (await asAlice.GetAsync($"/api/leads/{alicesLead}", Api.Cancel)).Problem(HttpStatusCode.NotFound);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_duplicate_names_the_existing_lead_only_to_whoever_may_see_it()
    {
        var (alice, bob) = (Api.Unique("alice"), Api.Unique("bob"));
        var email = $"{Api.Unique("dup")}@example.com";
        var bobs = await (await funnel.GatewayAs(bob).Post("/api/leads", new { name = "Bob's", email }))
            .Json(HttpStatusCode.Created);

        var toAlice = await (await funnel.GatewayAs(alice).Post("/api/leads", new { name = "Mine?", email }))
            .Problem(HttpStatusCode.Conflict);
        Assert.Null(toAlice["existingContactId"]);
        Assert.DoesNotContain(bobs["contactId"]!.GetValue<string>(), toAlice.ToJsonString());
        var imported = await (await funnel.GatewayAs(alice).PostAsync("/api/leads/import", new StringContent(
            $"name,company,email,phone,source,owner\nMine?,,{email},,import,\n",
            new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv")), Api.Cancel)).Json(HttpStatusCode.OK);
        Assert.Equal("duplicate", imported["results"]![0]!["outcome"]!.GetValue<string>());
        Assert.Null(imported["results"]![0]!["existingContactId"]);

        var toManager = await (await funnel.Gateway.Post("/api/leads", new { name = "Again", email }))
            .Problem(HttpStatusCode.Conflict);
        Assert.Equal(bobs["contactId"]!.GetValue<string>(), toManager["existingContactId"]!.GetValue<string>());
        var toBob = await (await funnel.GatewayAs(bob).Post("/api/leads", new { name = "Again", email }))
            .Problem(HttpStatusCode.Conflict);
        Assert.Equal(bobs["contactId"]!.GetValue<string>(), toBob["existingContactId"]!.GetValue<string>());
    }

    [Fact(Timeout = 120_000)]
    public async Task Too_many_requests_from_one_user_get_429_with_Retry_After()
    {
        using var flood = funnel.GatewayAs(Api.Unique("flood"));
        HttpResponseMessage? limited = null;
        for (var round = 0; round < 10 && limited is null; round++)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, 300).Select(_ => flood.GetAsync("/api/leads/gate", Api.Cancel)));
            limited = answers.FirstOrDefault(a => a.StatusCode == HttpStatusCode.TooManyRequests);
        }

        Assert.NotNull(limited);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        await limited.Problem(HttpStatusCode.TooManyRequests);
        // Another user is not held back by it.
        (await funnel.Gateway.GetAsync("/api/leads/gate", Api.Cancel)).EnsureSuccessStatusCode();
    }

    [Theory(Timeout = 60_000)]
    [InlineData("http://localhost:5173", true)]
    [InlineData("http://evil.example", false)]
    public async Task Only_configured_origins_may_call_from_a_browser(string origin, bool allowed)
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/leads");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");

        using var response = await funnel.GatewayAs(null).SendAsync(preflight, Api.Cancel);

        Assert.Equal(allowed, response.Headers.TryGetValues("Access-Control-Allow-Origin", out var allowedOrigin) &&
                              allowedOrigin.Single() == origin);
    }

    /// <summary>An HS256 token of exactly <paramref name="claims"/> (plus issuer and audience).</summary>
    private static string Signed(string key, Dictionary<string, object> claims)
    {
        var unsigned = Unsigned(claims, "HS256");
        var signature = System.Security.Cryptography.HMACSHA256.HashData(Convert.FromBase64String(key),
            System.Text.Encoding.ASCII.GetBytes(unsigned.TrimEnd('.')));
        return unsigned + Base64Url(signature);
    }

    private static string Unsigned(Dictionary<string, object> claims, string algorithm = "none")
    {
        claims["iss"] = Funnel.AppHost.Tokens.Issuer;
        claims["aud"] = Funnel.AppHost.Tokens.Audience;
        return $"{Base64Url(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new { alg = algorithm, typ = "JWT" }))}." +
               $"{Base64Url(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(claims))}.";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
