using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Funnel.AppHost;
using Funnel.DevIssuer;
using Funnel.Testing;

namespace Funnel.EndToEndTests;

/// <summary>No one in where they don't belong: tokens at the gateway and in every service, owners, rate, origins.</summary>
public class AuthTests(FunnelApp funnel)
{
    [Theory(Timeout = 60_000)]
    [InlineData("none")]
    [InlineData("forged")]
    [InlineData("other-issuer")]
    [InlineData("expired")]
    [InlineData("no-user")]
    [InlineData("no-expiry")]
    [InlineData("over-long")]
    [InlineData("alg-none")]
    [InlineData("hs256-with-the-public-key")]
    public async Task Without_a_valid_token_the_API_answers_401(string token)
    {
        using var client = funnel.GatewayAs(null);
        var key = funnel.System.SigningKey;
        using var stranger = IssuerKey.Create();
        // A provider that answers discovery and JWKS like any other, but that this run was not told to trust.
        using var otherIssuer = new TestIssuer();
        client.DefaultRequestHeaders.Authorization = token switch
        {
            // A key of the right shape, but not the issuer's.
            "forged" => Bearer(stranger.Sign(Claims())),
            "other-issuer" => Bearer(otherIssuer.Key.Token(otherIssuer.Authority, Identity.Audience, "mallory", "manager",
                TimeSpan.FromHours(1))),
            "expired" => Bearer(funnel.Token("alice", "manager", TimeSpan.FromMinutes(-5))),
            // Fail closed: a validly signed token naming no user would otherwise narrow lists to no one.
            "no-user" => Bearer(funnel.Token("", "manager")),
            "no-expiry" => Bearer(key.Sign(Claims(expires: false))),
            "over-long" => Bearer(funnel.Token("alice", "manager", TimeSpan.FromDays(30))),
            "alg-none" => Bearer(Unsigned(Claims(), new { alg = "none", typ = "JWT" })),
            // The classic confusion: the public key (which anyone can fetch) used as an HMAC secret.
            "hs256-with-the-public-key" => Bearer(HmacSigned(Claims(), key.KeyId, key.PublicKeyBytes())),
            _ => null,
        };

        await (await client.GetAsync("/api/leads", Api.Cancel)).Problem(HttpStatusCode.Unauthorized);
        await (await client.Post("/api/leads", new { name = "Sneaky", email = "sneaky@example.com" })).Problem(HttpStatusCode.Unauthorized);
        // What needs no token: health and the API documentation.
        (await client.GetAsync("/health", Api.Cancel)).EnsureSuccessStatusCode();
        (await client.GetAsync("/openapi/v1.json", Api.Cancel)).EnsureSuccessStatusCode();
    }

    [Fact(Timeout = 60_000)]
    public async Task The_development_issuer_signs_in_through_scripts_dev_token_and_keeps_its_key_to_itself()
    {
        var script = Path.Combine(DeploymentTests.Root, "scripts", "dev-token.sh");
        var run = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("bash", [script, "dana", "manager", "1"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["FUNNEL_DATA"] = funnel.DataPath },
        })!;
        var token = (await run.StandardOutput.ReadToEndAsync(Api.Cancel)).Trim();
        await run.WaitForExitAsync(Api.Cancel);
        Assert.True(run.ExitCode == 0, await run.StandardError.ReadToEndAsync(Api.Cancel));

        using var client = funnel.GatewayAs(null);
        client.DefaultRequestHeaders.Authorization = Bearer(token);
        (await client.GetAsync("/api/leads", Api.Cancel)).EnsureSuccessStatusCode();
        // The private key is readable by its owner only; the services were handed the issuer's address, not a key.
        var keyFile = Path.Combine(funnel.DataPath, Identity.DevIssuerName, "signing-key.pem");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
        var services = FunnelSystem.Services.SelectMany(s => funnel.System.ServiceProcesses($"Funnel.{char.ToUpperInvariant(s[0])}{s[1..]}"))
            .ToList();
        Assert.Equal(FunnelSystem.Services.Length, services.Count);
        foreach (var pid in services)
        {
            var environment = await File.ReadAllTextAsync($"/proc/{pid}/environ", Api.Cancel);
            Assert.Contains($"Auth__Authority={funnel.System.Issuer}", environment);
            Assert.DoesNotContain("PRIVATE KEY", environment);
            Assert.DoesNotContain("SigningKey", environment);
        }
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
            ("GET", $"/api/pipeline/contacts/{bobsProspect}"), ("GET", $"/api/pipeline/contacts/{bobsProspect}/events"),
            ("GET", $"/api/qualification/{bobsProspect}/interactions"), ("GET", $"/api/quoting/{bobsProspect}/activities"),
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
    private static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    private Dictionary<string, object> Claims(bool expires = true)
    {
        var claims = new Dictionary<string, object>
        {
            ["iss"] = funnel.System.Issuer,
            ["aud"] = Identity.Audience,
            ["sub"] = "alice",
            ["role"] = "manager",
        };
        if (expires)
        {
            claims["exp"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        }
        return claims;
    }

    private static string Unsigned(Dictionary<string, object> claims, object header) =>
        $"{IssuerKey.Base64Url(JsonSerializer.SerializeToUtf8Bytes(header))}." +
        $"{IssuerKey.Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims))}.";

    private static string HmacSigned(Dictionary<string, object> claims, string keyId, byte[] secret)
    {
        var unsigned = Unsigned(claims, new { alg = "HS256", typ = "JWT", kid = keyId });
        return unsigned + IssuerKey.Base64Url(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(unsigned.TrimEnd('.'))));
    }
}
