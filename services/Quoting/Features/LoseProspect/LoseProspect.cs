using Funnel.Contracts;
using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Quoting.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Quoting.Features.LoseProspect;

/// <summary><c>POST /api/quoting/{contactId}/lose</c>: the prospect is lost, with a reason.</summary>
public static class LoseProspectEndpoint
{
    public static void MapLoseProspect(this IEndpointRouteBuilder app) =>
        app.MapPost("/{contactId:guid}/lose", Handle).WithName("LoseProspect")
            .WithSummary("Lose the prospect; a reason is required.");

    private static async Task<Results<Ok<OpportunityResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid contactId, ReasonRequest request, QuotingDbContext db, StageGate gate, TimeProvider time,
        HttpContext http, Caller caller, CancellationToken cancellationToken)
    {
        var validation = Validation.Of(request);
        // Read before the move, which adds none; unseen when the opportunity is not the caller's.
        var latest = await db.Activities.LatestAsync(contactId, OpportunityResponse.LatestActivities, cancellationToken);
        return await db.Opportunities.MoveAsync(contactId, "opportunity", validation, caller, http, found =>
        {
            found.Lose(request.Reason!.Trim(), time.GetUtcNow());
            return TypedResults.Ok(OpportunityResponse.From(found, latest, gate, time.Today()));
        }, cancellationToken);
    }
}
