using System.ComponentModel.DataAnnotations;
using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Qualification.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Qualification.Features.ConfirmInterest;

public sealed record ConfirmInterestRequest([property: Required] bool? Interested, [property: StringLength(2000)] string? Notes);

/// <summary><c>POST /api/qualification/{contactId}/interest</c>: does the contact want to hear more?</summary>
public static class ConfirmInterestEndpoint
{
    public static void MapConfirmInterest(this IEndpointRouteBuilder app) =>
        app.MapPost("/{contactId:guid}/interest", Handle).WithName("ConfirmInterest")
            .WithSummary("Record whether the contact wants more information, with notes.");

    private static async Task<Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid contactId, ConfirmInterestRequest request, QualificationDbContext db, StageGate gate, TimeProvider time,
        HttpContext http, Caller caller, CancellationToken cancellationToken)
    {
        var validation = Validation.Of(request);
        // Read before the move, which adds none; unseen when the case is not the caller's.
        var latest = await db.Interactions.LatestAsync(contactId, CaseResponse.LatestInteractions, cancellationToken);
        return await db.Cases.MoveAsync(contactId, "qualification case", validation, caller, http, found =>
        {
            found.RecordInterest(request.Interested!.Value, request.Notes?.Trim(), caller.Name, gate, time.GetUtcNow());
            return TypedResults.Ok(CaseResponse.From(found, latest, gate));
        }, cancellationToken);
    }
}
