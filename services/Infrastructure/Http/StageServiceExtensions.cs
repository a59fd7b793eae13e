using System.Text.Json;
using Funnel.Infrastructure.Domain;
using Funnel.Infrastructure.Gates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Funnel.Infrastructure.Http;

public static class StageServiceExtensions
{
    /// <summary>The largest body a route takes unless it says otherwise (the import does): a quote of 200 lines fits.</summary>
    public const long MaxBodyBytes = 256 * 1024;

    /// <summary>What every stage service adds on top of the service defaults: clear 400s and its OpenAPI document.</summary>
    public static IHostApplicationBuilder AddStageHttp(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(options =>
            options.Limits.MaxRequestBodySize = MaxBodyBytes);
        // Let binding failures surface as exceptions, so the handler below can say what was wrong with the body.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<BadRequestHandler>();
        // The gateway joins every service's document into the public one (gateway/ApiDocument.cs).
        builder.Services.AddOpenApi(options => options
            .AddSchemaTransformer(OpenApiSchemas.RequiredAsTheTypesSay)
            .AddOperationTransformer(OpenApiSchemas.QueryAsTheRulesSay));
        builder.AddFunnelAuthentication();
        return builder;
    }

    public static WebApplication UseStageHttp(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<IdempotencyMiddleware>();
        app.MapOpenApi().AllowAnonymous();
        app.MapDefaultEndpoints();
        return app;
    }

    /// <summary>
    /// Turns the exceptions a caller causes into 4xx ProblemDetails: an unreadable body (malformed JSON, a wrong type,
    /// an unknown enum value) is 400; a move the stage's rules refuse, or a record changed under the request, is 409.
    /// </summary>
    private sealed class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            var extensions = new Dictionary<string, object?>();
            var (status, type, title, detail) = exception switch
            {
                GateUnmetException gate => (StatusCodes.Status409Conflict, "gate-unmet", "The stage's gate is not met",
                    WithGate(extensions, gate)),
                BadHttpRequestException { InnerException: JsonException json } bad =>
                    (bad.StatusCode, "bad-request", "The request could not be read", $"The body is not valid: {json.Message}"),
                BadHttpRequestException bad =>
                    (bad.StatusCode, "bad-request", "The request could not be read", bad.Message),
                UnknownPartException unknown =>
                    (StatusCodes.Status404NotFound, "not-found", $"Unknown {unknown.What}", unknown.Message),
                InvalidTransitionException invalid =>
                    (StatusCodes.Status409Conflict, "invalid-transition", "The move is not possible in the current state",
                        invalid.Message),
                // The record changed between this request's read and its write; with If-Match the caller asked
                // for exactly that check.
                DbUpdateConcurrencyException when Preconditions.HasIfMatch(context) =>
                    (StatusCodes.Status412PreconditionFailed, "stale", "The record changed since you read it",
                        "Someone changed this record while the request ran; read it again and reapply."),
                DbUpdateConcurrencyException =>
                    (StatusCodes.Status409Conflict, "concurrent-change", "The record changed meanwhile",
                        "Someone changed this record while the request ran; read it again and retry."),
                _ => (0, "", "", ""),
            };
            if (status == 0)
            {
                return false;
            }

            context.Response.StatusCode = status;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                Exception = exception,
                ProblemDetails =
                {
                    Status = status, Type = "urn:funnel:problem:" + type, Title = title, Detail = detail,
                    Extensions = extensions,
                },
            });
        }

        private static string WithGate(Dictionary<string, object?> extensions, GateUnmetException gate)
        {
            extensions["unmet"] = gate.Unmet;
            extensions["gateVersion"] = gate.GateVersion;
            return gate.Message;
        }
    }
}
