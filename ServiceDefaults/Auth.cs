using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// JWT bearer authentication, the same at the gateway and in every service: a token signed (HS256) with the key the
/// AppHost hands out (<c>Auth:SigningKey</c>, base64), from <c>Auth:Issuer</c> for <c>Auth:Audience</c>, naming the user
/// in <c>sub</c> and the role (<c>salesperson</c> or <c>manager</c>) in <c>role</c>. Every endpoint needs a valid token
/// unless it allows anonymous callers (health, API documents).
/// </summary>
public static class FunnelAuth
{
    public const string Salesperson = "salesperson";
    public const string Manager = "manager";

    public static TBuilder AddFunnelAuthentication<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var auth = builder.Configuration.GetSection("Auth");
        var key = auth["SigningKey"] is { Length: > 0 } configured
            ? Convert.FromBase64String(configured)
            : throw new InvalidOperationException("Auth:SigningKey is not set (the AppHost sets it; see README).");

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = auth["Issuer"] ?? "funnel",
                ValidAudience = auth["Audience"] ?? "funnel-api",
                IssuerSigningKey = new SymmetricSecurityKey(key),
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                NameClaimType = "sub",
                RoleClaimType = "role",
                ClockSkew = TimeSpan.FromSeconds(30),
            };
        });
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser()
                .RequireRole(Salesperson, Manager).Build());
        return builder;
    }

    public static bool IsManager(this ClaimsPrincipal user) => user.IsInRole(Manager);
}
