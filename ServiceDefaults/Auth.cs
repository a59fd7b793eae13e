using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// JWT bearer authentication, the same at the gateway and in every service: a token from the OpenID Connect issuer
/// <c>Auth:Authority</c> (RS256/ES256, keys from its JWKS), or in a local run signed (HS256) with the key the AppHost hands
/// out (<c>Auth:SigningKey</c>, base64) by <c>Auth:Issuer</c>; for <c>Auth:Audience</c>, naming the user in <c>sub</c>
/// and the role (<c>salesperson</c> or <c>manager</c>) in <c>role</c>, with an expiry no further than
/// <c>Auth:MaxLifetimeMinutes</c> (default a day). Every endpoint needs a valid token unless it allows anonymous
/// callers (health, API documents).
/// </summary>
public static class FunnelAuth
{
    public const string Salesperson = "salesperson";
    public const string Manager = "manager";

    public static TBuilder AddFunnelAuthentication<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var auth = builder.Configuration.GetSection("Auth");
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            var validation = new TokenValidationParameters
            {
                ValidAudience = auth["Audience"] ?? "funnel-api",
                NameClaimType = "sub",
                RoleClaimType = "role",
                RequireExpirationTime = true,
                ClockSkew = TimeSpan.FromSeconds(30),
            };
            if (auth["Authority"] is { Length: > 0 } authority)
            {
                // An OpenID Connect provider (Keycloak, Entra ID, ...): its discovery document names the issuer and
                // its JWKS the public keys, fetched and refreshed by the handler; only asymmetric signatures count.
                options.Authority = authority;
                options.RequireHttpsMetadata = auth.GetValue("RequireHttpsMetadata", true);
                validation.ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256];
            }
            else
            {
                validation.ValidIssuer = auth["Issuer"] ?? "funnel";
                validation.IssuerSigningKey = new SymmetricSecurityKey(auth["SigningKey"] is { Length: > 0 } configured
                    ? Convert.FromBase64String(configured)
                    : throw new InvalidOperationException(
                        "Set Auth:Authority (an OpenID Connect issuer) or Auth:SigningKey (the AppHost's local key; see README)."));
                validation.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
            }
            options.TokenValidationParameters = validation;
            var maxLifetime = TimeSpan.FromMinutes(auth.GetValue("MaxLifetimeMinutes", 24 * 60));
            options.Events = new JwtBearerEvents
            {
                // Fail closed: without a user the owner filter could not narrow anything.
                OnTokenValidated = context =>
                {
                    var user = context.Principal;
                    if (string.IsNullOrWhiteSpace(user?.FindFirst("sub")?.Value))
                    {
                        context.Fail("The token names no user ('sub').");
                    }
                    else if (context.SecurityToken.ValidTo - Start(context.SecurityToken) is var lifetime &&
                             lifetime > maxLifetime)
                    {
                        context.Fail($"The token lives {lifetime}, longer than the {maxLifetime} allowed.");
                    }
                    return Task.CompletedTask;
                },
            };
        });
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser()
                .RequireRole(Salesperson, Manager).Build());
        return builder;
    }

    /// <summary>When the token's life began: not-before, else issued-at, else now (so a far expiry still counts).</summary>
    private static DateTime Start(SecurityToken token) =>
        token.ValidFrom != DateTime.MinValue ? token.ValidFrom
        : token is JsonWebToken { IssuedAt: var issued } && issued != DateTime.MinValue ? issued
        : DateTime.UtcNow;

    public static bool IsManager(this ClaimsPrincipal user) => user.IsInRole(Manager);
}
