using System.Text.RegularExpressions;
using Funnel.DevIssuer;

// The local run's identity provider: an OpenID Connect discovery document and JWKS, as Keycloak or Entra ID serve
// them, and a token endpoint that signs in anyone as any user and role. The AppHost runs it in run mode only; the
// services know only its public key, fetched from the JWKS like a real provider's.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddAuthorization();

var settings = builder.Configuration.GetSection("Issuer");
var issuer = settings["Url"] ?? throw new InvalidOperationException("Issuer:Url names this issuer (the AppHost sets it).");
var audience = settings["Audience"] ?? "funnel-api";
var maxLifetime = TimeSpan.FromHours(settings.GetValue("MaxLifetimeHours", 24));
using var key = IssuerKey.LoadOrCreate(settings["KeyFile"]
    ?? throw new InvalidOperationException("Issuer:KeyFile is where the private key lives (the AppHost sets it)."));

var userName = new Regex("^[A-Za-z0-9._@-]{1,100}$", RegexOptions.Compiled);

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapDefaultEndpoints();

app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
{
    ["issuer"] = issuer,
    ["jwks_uri"] = $"{issuer}/.well-known/jwks.json",
    ["token_endpoint"] = $"{issuer}/token",
    ["response_types_supported"] = new[] { "token" },
    ["subject_types_supported"] = new[] { "public" },
    ["id_token_signing_alg_values_supported"] = new[] { "ES256" },
}));
app.MapGet("/.well-known/jwks.json", () => Results.Json(new { keys = new[] { key.PublicJwk() } }));

app.MapPost("/token", (TokenRequest request) =>
{
    var errors = new Dictionary<string, string[]>();
    if (request.User is null || !userName.IsMatch(request.User))
    {
        errors["user"] = ["Letters, digits and . _ @ - only, 1 to 100 of them."];
    }
    if (request.Role is not ("salesperson" or "manager"))
    {
        errors["role"] = ["salesperson or manager."];
    }
    var lifetime = TimeSpan.FromHours(request.Hours ?? 8);
    if (lifetime <= TimeSpan.Zero || lifetime > maxLifetime)
    {
        errors["hours"] = [$"More than 0, at most {maxLifetime.TotalHours}."];
    }
    if (errors.Count > 0)
    {
        return Results.ValidationProblem(errors);
    }
    return Results.Json(new Dictionary<string, object>
    {
        ["access_token"] = key.Token(issuer, audience, request.User!, request.Role!, lifetime),
        ["token_type"] = "Bearer",
        ["expires_in"] = (int)lifetime.TotalSeconds,
    });
});

app.Run();

internal sealed record TokenRequest(string? User, string? Role, double? Hours);
