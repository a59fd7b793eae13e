using Funnel.Infrastructure.Http;
using Funnel.Pipeline.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Pipeline.Features.GetJourney;

/// <summary><c>GET /api/pipeline/contacts/{contactId}</c>: the contact's journey through the funnel.</summary>
public static class GetJourneyEndpoint
{
    public static void MapGetJourney(this IEndpointRouteBuilder app) =>
        app.MapGet("/contacts/{contactId:guid}", Handle).WithName("GetJourney")
            .WithSummary("The journey: current stage, owner, history of stages, and the next (unmet) tasks.");

    private static async Task<Results<Ok<JourneyResponse>, ProblemHttpResult>> Handle(
        Guid contactId, PipelineDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var (row, refusal) = await db.Journeys.FindOwnedAsync(contactId, "contact", caller, cancellationToken);
        return row is null ? refusal! : TypedResults.Ok(JourneyResponse.From(row.Journey));
    }
}
