using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Funnel.DevIssuer;

// The local run's identity provider: an OpenID Connect discovery document and JWKS, as Keycloak or Entra ID serve
// them; a sign-in page where anyone picks any user and role (the authorization code flow with PKCE, the one the web app
// uses with any provider); and a token endpoint for scripts (scripts/dev-token.sh). The AppHost runs it in run mode
// only; the services know only its public key, fetched from the JWKS like a real provider's.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddAuthorization();
// The web app exchanges its code from the gateway's origin; this issuer exists only on a developer's machine.
builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy.AllowAnyOrigin().AllowAnyHeader().AllowAnyMethod()));

var settings = builder.Configuration.GetSection("Issuer");
var issuer = settings["Url"] ?? throw new InvalidOperationException("Issuer:Url names this issuer (the AppHost sets it).");
var audience = settings["Audience"] ?? "funnel-api";
var maxLifetime = TimeSpan.FromHours(settings.GetValue("MaxLifetimeHours", 24));
using var key = IssuerKey.LoadOrCreate(settings["KeyFile"]
    ?? throw new InvalidOperationException("Issuer:KeyFile is where the private key lives (the AppHost sets it)."));

var userName = new Regex("^[A-Za-z0-9._@-]{1,100}$", RegexOptions.Compiled);
// Codes live a minute and are used once; a restart forgets them (the user signs in again).
var codes = new ConcurrentDictionary<string, SignIn>();
var signInLifetime = TimeSpan.FromHours(8);

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseCors();
app.MapDefaultEndpoints();

app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
{
    ["issuer"] = issuer,
    ["jwks_uri"] = $"{issuer}/.well-known/jwks.json",
    ["authorization_endpoint"] = $"{issuer}/authorize",
    ["token_endpoint"] = $"{issuer}/token",
    ["response_types_supported"] = new[] { "code" },
    ["grant_types_supported"] = new[] { "authorization_code" },
    ["code_challenge_methods_supported"] = new[] { "S256" },
    ["subject_types_supported"] = new[] { "public" },
    ["id_token_signing_alg_values_supported"] = new[] { "ES256" },
}));
app.MapGet("/.well-known/jwks.json", () => Results.Json(new { keys = new[] { key.PublicJwk() } }));

// The sign-in page: a user name and a role, nothing to prove (a development issuer).
app.MapGet("/authorize", (HttpRequest request) =>
{
    var query = request.Query;
    if (Refusal(query["redirect_uri"], query["code_challenge"], query["code_challenge_method"]) is { } refusal)
    {
        return Results.Problem(statusCode: 400, title: "The sign-in request is not valid", detail: refusal);
    }
    string Hidden(string name) => $"<input type=\"hidden\" name=\"{name}\" value=\"{WebUtility.HtmlEncode(query[name])}\">";
    return Results.Content($$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Sign in: Funnel development issuer</title>
        <style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem}
        label{display:flex;flex-direction:column;margin:.6rem 0}input,select,button{font:inherit;padding:.4rem}</style>
        </head><body>
        <h1>Sign in</h1>
        <p>The local run's development issuer: pick any user and role. A deployment signs in with the company's provider.</p>
        <form method="post" action="/authorize">
        {{Hidden("redirect_uri")}}{{Hidden("state")}}{{Hidden("code_challenge")}}{{Hidden("client_id")}}
        <label>User <input name="user" value="alice" required pattern="[A-Za-z0-9._@\-]{1,100}" autofocus></label>
        <label>Role <select name="role"><option value="salesperson">salesperson</option><option value="manager">manager</option></select></label>
        <button type="submit">Sign in</button>
        </form></body></html>
        """, "text/html");
});

app.MapPost("/authorize", async (HttpRequest request) =>
{
    var form = await request.ReadFormAsync();
    string user = form["user"].ToString(), role = form["role"].ToString(), redirect = form["redirect_uri"].ToString();
    var refusal = Refusal(redirect, form["code_challenge"], "S256") ??
        (userName.IsMatch(user) && role is "salesperson" or "manager"
            ? null
            : "A user (letters, digits and . _ @ -) and a role (salesperson or manager).");
    if (refusal is not null)
    {
        return Results.Problem(statusCode: 400, title: "The sign-in is not valid", detail: refusal);
    }
    var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
    codes[code] = new SignIn(user, role, redirect, form["code_challenge"].ToString(), DateTimeOffset.UtcNow.AddMinutes(1));
    var separator = redirect.Contains('?', StringComparison.Ordinal) ? '&' : '?';
    return Results.Redirect($"{redirect}{separator}code={code}&state={Uri.EscapeDataString(form["state"].ToString())}");
}).DisableAntiforgery();

// Tokens: for a code of the sign-in page (form, PKCE), or for a script asking by JSON (scripts/dev-token.sh).
app.MapPost("/token", async (HttpRequest request) =>
{
    if (request.HasFormContentType)
    {
        var form = await request.ReadFormAsync();
        if (form["grant_type"] != "authorization_code" || !codes.TryRemove(form["code"].ToString(), out var signIn) ||
            signIn.Expires < DateTimeOffset.UtcNow || signIn.RedirectUri != form["redirect_uri"] ||
            Challenge(form["code_verifier"].ToString()) != signIn.Challenge)
        {
            return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        }
        return Issued(signIn.User, signIn.Role, signInLifetime);
    }
    var asked = await request.ReadFromJsonAsync<TokenRequest>();
    var errors = new Dictionary<string, string[]>();
    if (asked?.User is null || !userName.IsMatch(asked.User))
    {
        errors["user"] = ["Letters, digits and . _ @ - only, 1 to 100 of them."];
    }
    if (asked?.Role is not ("salesperson" or "manager"))
    {
        errors["role"] = ["salesperson or manager."];
    }
    var lifetime = TimeSpan.FromHours(asked?.Hours ?? 8);
    if (lifetime <= TimeSpan.Zero || lifetime > maxLifetime)
    {
        errors["hours"] = [$"More than 0, at most {maxLifetime.TotalHours}."];
    }
    return errors.Count > 0 ? Results.ValidationProblem(errors) : Issued(asked!.User!, asked.Role!, lifetime);
});

app.Run();

IResult Issued(string user, string role, TimeSpan lifetime) => Results.Json(new Dictionary<string, object>
{
    ["access_token"] = key.Token(issuer, audience, user, role, lifetime),
    ["token_type"] = "Bearer",
    ["expires_in"] = (int)lifetime.TotalSeconds,
});

// Only this machine's pages may receive a code, and only with a PKCE challenge.
static string? Refusal(string? redirect, string? challenge, string? method) =>
    !Uri.TryCreate(redirect, UriKind.Absolute, out var target) || !target.IsLoopback
        ? "redirect_uri must be a page on this machine."
        : string.IsNullOrEmpty(challenge) || method != "S256"
            ? "A PKCE code_challenge (S256) is required."
            : null;

static string Challenge(string verifier) =>
    IssuerKey.Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

internal sealed record TokenRequest(string? User, string? Role, double? Hours);

internal sealed record SignIn(string User, string Role, string RedirectUri, string Challenge, DateTimeOffset Expires);
