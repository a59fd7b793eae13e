using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Funnel.Infrastructure.Gates;

public static class GateExtensions
{
    /// <summary>
    /// The stage's gate: section <c>Gate</c> of the service's configuration, unless <c>Gate:File</c> names a JSON file
    /// with a <c>Gate</c> section. That file replaces the built-in gate whole (configuration layers would merge the task
    /// lists index by index) and is watched, so operators change a live gate by editing it.
    /// </summary>
    public static IHostApplicationBuilder AddStageGate(
        this IHostApplicationBuilder builder, string stage, IReadOnlySet<string> knownTasks)
    {
        var builtIn = builder.Configuration.GetSection("Gate");
        if (builder.Configuration["Gate:File"] is { Length: > 0 } file)
        {
            var path = Path.GetFullPath(file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var gateFile = new ConfigurationBuilder().AddJsonFile(path, optional: true, reloadOnChange: true).Build();
            builder.Services.AddSingleton<IOptionsChangeTokenSource<GateOptions>>(
                new ConfigurationChangeTokenSource<GateOptions>(gateFile));
            builder.Services.Configure<GateOptions>(options =>
            {
                var fromFile = gateFile.GetSection("Gate");
                (fromFile.Exists() ? fromFile : builtIn).Bind(options);
            });
        }
        else
        {
            builder.Services.Configure<GateOptions>(builtIn);
        }
        builder.Services.AddSingleton(services => new StageGate(stage, knownTasks,
            services.GetRequiredService<IOptionsMonitor<GateOptions>>(), services.GetRequiredService<ILogger<StageGate>>()));
        return builder;
    }

    /// <summary><c>GET {stage's API}/gate</c>: the gate in force. Resolving it here makes a bad gate fail the start.</summary>
    public static RouteHandlerBuilder MapGate(this IEndpointRouteBuilder api)
    {
        var stage = api.ServiceProvider.GetRequiredService<StageGate>().Stage;
        return api.MapGet("/gate", (StageGate gate) => TypedResults.Ok(new GateResponse(
                gate.Stage,
                gate.Version,
                gate.Tasks.Select(t => new GateTaskResponse(t.Name, t.Required, t.Description)).ToList())))
            // One operation id per stage in the joined document: GetLeadGate, GetQualifiedLeadGate, GetProspectGate.
            .WithName($"Get{string.Concat(stage.Split('-').Select(word => char.ToUpperInvariant(word[0]) + word[1..]))}Gate")
            .WithSummary("The stage's current gate: the tasks a contact must complete to move on.");
    }
}

public sealed record GateResponse(string Stage, string Version, IReadOnlyList<GateTaskResponse> Tasks);

public sealed record GateTaskResponse(string Name, bool Required, string? Description);
