using System.ComponentModel.DataAnnotations;
using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Quoting.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Quoting.Features.UpdateProgress;

public sealed record UpdateProgressRequest([property: Required, Range(0, 100)] int? PercentComplete, DateOnly? ExpectedCloseDate);

/// <summary>
/// <c>PUT /api/quoting/{contactId}/progress</c>: the salesperson's percent complete and expected close date. From
/// then on, milestone defaults leave the percent alone.
/// </summary>
public static class UpdateProgressEndpoint
{
    public static void MapUpdateProgress(this IEndpointRouteBuilder app) =>
        app.MapPut("/{contactId:guid}/progress", Handle).WithName("UpdateProgress")
            .WithSummary("Set percent complete (0-100) and the expected close date (not in the past).");

    private static async Task<Results<Ok<OpportunityResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid contactId, UpdateProgressRequest request, QuotingDbContext db, StageGate gate, TimeProvider time,
        HttpContext http, Caller caller, CancellationToken cancellationToken)
    {
        var today = time.Today();
        var validation = Validation.Of(request)
            .Check(request.ExpectedCloseDate is null || request.ExpectedCloseDate >= today, "expectedCloseDate",
                "'expectedCloseDate' cannot be in the past.");
        // Read before the move, which adds none; unseen when the opportunity is not the caller's.
        var latest = await db.Activities.LatestAsync(contactId, OpportunityResponse.LatestActivities, cancellationToken);
        return await db.Opportunities.MoveAsync(contactId, "opportunity", validation, caller, http, found =>
        {
            found.SetProgress(request.PercentComplete!.Value, request.ExpectedCloseDate, gate, time.GetUtcNow());
            return TypedResults.Ok(OpportunityResponse.From(found, latest, gate, today));
        }, cancellationToken);
    }
}
