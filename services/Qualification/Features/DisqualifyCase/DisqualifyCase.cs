using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Qualification.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Qualification.Features.DisqualifyCase;

/// <summary><c>POST /api/qualification/{contactId}/disqualify</c>: the qualified lead is lost, with a reason.</summary>
public static class DisqualifyCaseEndpoint
{
    public static void MapDisqualifyCase(this IEndpointRouteBuilder app) =>
        app.MapPost("/{contactId:guid}/disqualify", Handle).WithName("DisqualifyCase")
            .WithSummary("Disqualify the qualified lead; a reason is required.");

    private static async Task<Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid contactId, ReasonRequest request, QualificationDbContext db, StageGate gate, TimeProvider time,
        HttpContext http, Caller caller, CancellationToken cancellationToken)
    {
        var validation = Validation.Of(request);
        // Read before the move, which adds none; unseen when the case is not the caller's.
        var latest = await db.Interactions.LatestAsync(contactId, CaseResponse.LatestInteractions, cancellationToken);
        return await db.Cases.MoveAsync(contactId, "qualification case", validation, caller, http, found =>
        {
            found.Disqualify(request.Reason!.Trim(), time.GetUtcNow());
            return TypedResults.Ok(CaseResponse.From(found, latest, gate));
        }, cancellationToken);
    }
}
