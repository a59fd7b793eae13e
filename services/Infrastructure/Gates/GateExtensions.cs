using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Funnel.Infrastructure.Gates;

public static class GateExtensions
{
    /// <summary>Binds the stage's gate from configuration and fails the start if it names an unknown task.</summary>
    public static IHostApplicationBuilder AddStageGate(
        this IHostApplicationBuilder builder, string stage, IReadOnlySet<string> knownTasks)
    {
        builder.Services.AddOptions<GateOptions>().Bind(builder.Configuration.GetSection("Gate")).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<GateOptions>>(new GateOptionsValidator(knownTasks));
        builder.Services.AddSingleton(services => new StageGate(stage, services.GetRequiredService<IOptionsMonitor<GateOptions>>()));
        return builder;
    }

    /// <summary><c>GET {prefix}/gate</c>: the gate in force.</summary>
    public static RouteHandlerBuilder MapGate(this IEndpointRouteBuilder app, string prefix) =>
        app.MapGet($"{prefix}/gate", (StageGate gate) => TypedResults.Ok(new GateResponse(
                gate.Stage,
                gate.Version,
                gate.Tasks.Select(t => new GateTaskResponse(t.Name, t.Required, t.Description)).ToList())))
            .WithName("GetGate")
            .WithSummary("The stage's current gate: the tasks a contact must complete to move on.");
}

public sealed record GateResponse(string Stage, string Version, IReadOnlyList<GateTaskResponse> Tasks);

public sealed record GateTaskResponse(string Name, bool Required, string? Description);
