using System.Diagnostics;
using Funnel.Pipeline.Data;
using Funnel.Pipeline.Features.RecordEvents;
using Microsoft.EntityFrameworkCore;

namespace Funnel.Pipeline.Features.RebuildReadModel;

public sealed record RebuildResponse(int Contacts, long ElapsedMilliseconds);

/// <summary>
/// <c>POST /admin/rebuild</c>: drops the read model and replays every stored event into it. An operator's command
/// (the dashboard's "Rebuild read model" on the pipeline resource), not routed by the gateway.
/// </summary>
public static class RebuildReadModelEndpoint
{
    public const string Path = "/admin/rebuild";

    public static void MapRebuildReadModel(this IEndpointRouteBuilder app) =>
        app.MapPost(Path, async (PipelineDbContext db, CancellationToken cancellationToken) =>
            {
                var clock = Stopwatch.StartNew();
                var contacts = await db.RebuildAsync(cancellationToken);
                return TypedResults.Ok(new RebuildResponse(contacts, clock.ElapsedMilliseconds));
            })
            .RequireAuthorization(policy => policy.RequireRole(FunnelAuth.Manager))
            .WithName("RebuildReadModel")
            .WithSummary("Replay every stored stage event into a fresh read model.");

    /// <summary>A store with events but no read model (it was added later, or dropped) gets one before traffic.</summary>
    public static async Task BuildMissingReadModelAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PipelineDbContext>();
        if (!await db.Journeys.AnyAsync() && await db.Events.AnyAsync())
        {
            await db.RebuildAsync(CancellationToken.None);
        }
    }
}
