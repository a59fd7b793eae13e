using Funnel.Infrastructure.Http;
using Funnel.Pipeline.Data;
using Funnel.Pipeline.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Funnel.Pipeline.Features.GetJourney;

/// <summary><c>GET /api/pipeline/contacts/{contactId}</c>: the contact's journey through the funnel.</summary>
public static class GetJourneyEndpoint
{
    public static void MapGetJourney(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/pipeline/contacts/{contactId:guid}", Handle).WithName("GetJourney")
            .WithSummary("The journey: current stage, owner, history of stages, and the next (unmet) tasks.");

    private static async Task<Results<Ok<Journey>, ProblemHttpResult>> Handle(
        Guid contactId, PipelineDbContext db, CancellationToken cancellationToken)
    {
        var events = await db.Events.AsNoTracking().Where(e => e.ContactId == contactId).ToListAsync(cancellationToken);
        return Journey.From(contactId, events) is { } journey
            ? TypedResults.Ok(journey)
            : Problems.NotFound("contact", contactId);
    }
}
