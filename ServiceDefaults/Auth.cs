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
/// JWT bearer authentication, the same at the gateway and in every service: tokens of the OpenID Connect issuer
/// <c>Auth:Authority</c> (a company's provider, or the local run's development issuer), signed RS256 or ES256 with a
/// key from its JWKS (fetched and refreshed by the handler: a rotated key is picked up), for <c>Auth:Audience</c>,
/// naming the user in <c>sub</c> and the role (<c>salesperson</c> or <c>manager</c>) in <c>role</c>, with an expiry no
/// further than <c>Auth:MaxLifetimeMinutes</c> (default a day). No process here holds a key that could sign a token.
/// Every endpoint needs a valid token unless it allows anonymous callers (health, API documents).
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
            options.Authority = auth["Authority"] is { Length: > 0 } authority
                ? authority
                : throw new InvalidOperationException(
                    "Set Auth:Authority to the OpenID Connect issuer whose tokens count (the AppHost sets it; see README).");
            options.RequireHttpsMetadata = auth.GetValue("RequireHttpsMetadata", true);
            // Only asymmetric signatures: an HS256 token 'signed' with the public key, or alg none, is refused.
            validation.ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256];
            options.TokenValidationParameters = validation;
            var maxLifetime = TimeSpan.FromMinutes(auth.GetValue("MaxLifetimeMinutes", 24 * 60));
            var rotation = new KeyRotation(maxLifetime);
            options.Events = new JwtBearerEvents
            {
                OnTokenValidated = context =>
                {
                    if (Refusal(context.Principal, context.SecurityToken, maxLifetime) is { } refusal)
                    {
                        context.Fail(refusal);
                    }
                    return Task.CompletedTask;
                },
                OnAuthenticationFailed = rotation.RetryWithNewKeysAsync,
            };
        });
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser()
                .RequireRole(Salesperson, Manager).Build());
        return builder;
    }

    /// <summary>Why a validly signed token is still refused, or null. Fail closed: without a user the owner filter could
    /// not narrow anything.</summary>
    private static string? Refusal(System.Security.Claims.ClaimsPrincipal? user, SecurityToken token, TimeSpan maxLifetime) =>
        string.IsNullOrWhiteSpace(user?.FindFirst("sub")?.Value) ? "The token names no user ('sub')."
        : token.ValidTo - Start(token) is var lifetime && lifetime > maxLifetime
            ? $"The token lives {lifetime}, longer than the {maxLifetime} allowed."
            : null;

    /// <summary>
    /// A token signed with a key the issuer has just rotated in: the handler refused it and asked for the issuer's keys
    /// again, in the background. Rather than refuse every first request after a rotation, wait a moment for those keys
    /// and validate once more. At most one such wait per refresh interval (five minutes), so tokens with made-up key
    /// ids cannot hold requests open.
    /// </summary>
    private sealed class KeyRotation(TimeSpan maxLifetime)
    {
        private static readonly TimeSpan Wait = TimeSpan.FromSeconds(2);
        private readonly Lock _lock = new();
        private DateTimeOffset _windowStart = DateTimeOffset.MinValue;

        public async Task RetryWithNewKeysAsync(AuthenticationFailedContext context)
        {
            if (context.Exception is not SecurityTokenSignatureKeyNotFoundException ||
                context.Options.ConfigurationManager is not { } keys ||
                context.Request.Headers.Authorization.ToString() is not { } header ||
                !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || !InWindow(context.Options.RefreshInterval))
            {
                return;
            }
            var token = header["Bearer ".Length..].Trim();
            var keyId = new JsonWebTokenHandler().CanReadToken(token) ? new JsonWebToken(token).Kid : null;
            var deadline = DateTimeOffset.UtcNow + Wait;
            var configuration = await keys.GetConfigurationAsync(context.HttpContext.RequestAborted);
            while (!configuration.SigningKeys.Any(key => key.KeyId == keyId) && DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(100, context.HttpContext.RequestAborted);
                configuration = await keys.GetConfigurationAsync(context.HttpContext.RequestAborted);
            }
            var parameters = context.Options.TokenValidationParameters.Clone();
            parameters.ValidIssuer ??= configuration.Issuer;
            parameters.IssuerSigningKeys = configuration.SigningKeys;
            var result = await context.Options.TokenHandlers.First().ValidateTokenAsync(token, parameters);
            if (result.IsValid && new System.Security.Claims.ClaimsPrincipal(result.ClaimsIdentity) is var user &&
                Refusal(user, result.SecurityToken, maxLifetime) is null)
            {
                context.Principal = user;
                context.Success();
            }
        }

        /// <summary>Whether this failure may wait: the first in a refresh interval opens a short window of waiting.</summary>
        private bool InWindow(TimeSpan refreshInterval)
        {
            var now = DateTimeOffset.UtcNow;
            lock (_lock)
            {
                if (now - _windowStart >= refreshInterval)
                {
                    _windowStart = now;
                }
                return now - _windowStart < Wait;
            }
        }
    }

    /// <summary>When the token's life began: not-before, else issued-at, else now (so a far expiry still counts).</summary>
    private static DateTime Start(SecurityToken token) =>
        token.ValidFrom != DateTime.MinValue ? token.ValidFrom
        : token is JsonWebToken { IssuedAt: var issued } && issued != DateTime.MinValue ? issued
        : DateTime.UtcNow;

    public static bool IsManager(this ClaimsPrincipal user) => user.IsInRole(Manager);
}
