using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Funnel.Gateway;

/// <summary>What the one public entry enforces besides tokens: a request rate per user, and the allowed origins.</summary>
internal static class EdgePolicies
{
    public const string PerUser = "per-user";

    /// <summary>
    /// <c>Gateway:RateLimit</c>: each user (by token subject; anonymous callers by address) gets <c>PermitLimit</c>
    /// requests per <c>WindowSeconds</c>; past it, 429 with <c>Retry-After</c>.
    /// </summary>
    public static void AddPerUserRateLimit(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Gateway:RateLimit");
        var permits = section.GetValue("PermitLimit", 200);
        var window = TimeSpan.FromSeconds(section.GetValue("WindowSeconds", 1.0));
        builder.Services.AddRateLimiter(options =>
        {
            options.AddPolicy(PerUser, http => RateLimitPartition.GetFixedWindowLimiter(
                http.User.Identity?.Name ?? http.Connection.RemoteIpAddress?.ToString() ?? "anonymous",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 }));
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : window;
                var http = context.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    .ToString(CultureInfo.InvariantCulture);
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Type = "urn:funnel:problem:rate-limited",
                        Title = "Too many requests",
                        Detail = $"At most {permits} requests per {window.TotalSeconds:0.#} s per user; retry after the Retry-After seconds.",
                    },
                });
            };
        });
    }

    /// <summary><c>Gateway:Cors:Origins</c>: the front ends' origins allowed to call the API from a browser.</summary>
    public static void AddConfiguredCors(this WebApplicationBuilder builder)
    {
        var origins = builder.Configuration.GetSection("Gateway:Cors:Origins").Get<string[]>() ?? [];
        builder.Services.AddCors(options => options.AddDefaultPolicy(policy => policy
            .WithOrigins(origins)
            .AllowAnyHeader()
            .AllowAnyMethod()
            .WithExposedHeaders("ETag", "Location", "Retry-After")));
    }
}
