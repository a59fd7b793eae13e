using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>What every Funnel service and the gateway share: telemetry, health, discovery, resilience, errors.</summary>
public static class Extensions
{
    public const string HealthPath = "/health";
    public const string AlivePath = "/alive";
    private const string LiveTag = "live";

    /// <summary>Activity sources and meters of our own and of MassTransit that every service exports.</summary>
    public static readonly string[] TelemetrySources = ["MassTransit", "Funnel.*"];

    /// <summary>
    /// How long a stopping service may finish its work. Orchestrators kill soon after SIGTERM (Aspire's after 6 s,
    /// giving up on the stop at 15 s), and nothing is lost by cutting work short: an unacknowledged message is
    /// delivered again and an unsent outbox row is sent by the next relay.
    /// </summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = ShutdownTimeout);
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(options => ConfigureJson(options.SerializerOptions));
        return builder;
    }

    /// <summary>camelCase bodies, enums as lowercase strings (API.md); numbers for enums are refused.</summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        // Numbers are JSON numbers: "12" for a quantity is refused, and the API document types them as numbers only.
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(TelemetrySources))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(TelemetrySources)
                .AddAspNetCoreInstrumentation(options =>
                {
                    // Health probes would drown the traces people look for.
                    options.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthPath) &&
                        !context.Request.Path.StartsWithSegments(AlivePath);
                    // A span named by a catch-all route (the gateway's `/api/leads/{**rest}`) says nothing of the
                    // operation: it is named by the request's path instead, its ids written as {id}.
                    options.EnrichWithHttpResponse = (activity, response) =>
                    {
                        if (activity.DisplayName.Contains("{**", StringComparison.Ordinal))
                        {
                            activity.DisplayName = OperationName(response.HttpContext.Request);
                        }
                        // A query can carry personal data (a search by email or name): its names stay, its values go.
                        if (activity.GetTagItem("url.query") is string { Length: > 0 } query)
                        {
                            activity.SetTag("url.query", RedactedQuery(query));
                        }
                    };
                })
                .AddHttpClientInstrumentation(options =>
                    // Nor the gateway's own probes of the services.
                    options.FilterHttpRequestMessage = request =>
                        request.RequestUri?.AbsolutePath.StartsWith(HealthPath, StringComparison.Ordinal) != true));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // The exporters flush when the service stops, each waiting up to this long (10 s unless set) for a
            // collector that may be gone; stops must end within ShutdownTimeout's few seconds.
            builder.Configuration["OTEL_EXPORTER_OTLP_TIMEOUT"] ??= "1000";
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    /// <summary><c>POST /api/leads/{id}/qualify</c>: the method and the path with every id replaced, so no id or query
    /// (and so no personal data) is in the name, and one operation is one name.</summary>
    public static string OperationName(HttpRequest request) =>
        $"{request.Method} " + string.Join('/', (request.Path.Value ?? "").Split('/')
            .Select(segment => Guid.TryParse(segment, out _) || segment.All(char.IsAsciiDigit) && segment.Length > 0 ? "{id}" : segment));

    /// <summary><c>?search=ada%40x.example&amp;page=2</c> as <c>?search=*&amp;page=*</c>.</summary>
    public static string RedactedQuery(string query) =>
        "?" + string.Join('&', query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2)[0] + "=*"));

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// <c>/health</c>: ready, every check (database, bus) passes; <c>/alive</c>: the process answers. Mapped in every
    /// environment because the AppHost and the gateway gate on them; deployments keep service ports private.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthPath, new HealthCheckOptions
        {
            Predicate = r => !r.Tags.Contains(OverviewTag),
            ResponseWriter = WriteHealth,
        }).AllowAnonymous();
        app.MapHealthChecks(AlivePath, new HealthCheckOptions { Predicate = r => r.Tags.Contains(LiveTag) }).AllowAnonymous();
        return app;
    }

    /// <summary>Checks of other processes (the gateway's view of the services): not part of this process's readiness.</summary>
    public const string OverviewTag = "overview";

    public static Task WriteHealth(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                // The description only: an exception's message can carry internals (hosts, SQL) to anonymous callers.
                description = e.Value.Description,
            }),
        });
    }
}
