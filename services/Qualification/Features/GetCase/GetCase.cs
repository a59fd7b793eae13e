using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Qualification.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Qualification.Features.GetCase;

/// <summary><c>GET /api/qualification/{contactId}</c>: the case with its checklist, credit check and latest interactions.</summary>
public static class GetCaseEndpoint
{
    public static void MapGetCase(this IEndpointRouteBuilder app) =>
        app.MapGet("/{contactId:guid}", Handle).WithName("GetCase")
            .WithSummary("The qualification case: status, owner, checklist, credit check, latest interactions.");

    private static async Task<Results<Ok<CaseResponse>, ProblemHttpResult>> Handle(
        Guid contactId, QualificationDbContext db, StageGate gate, HttpContext http, Caller caller,
        CancellationToken cancellationToken)
    {
        var (found, refusal) = await db.Cases.FindForAsync(contactId, "qualification case", caller, write: null,
            cancellationToken);
        if (found is null)
        {
            return refusal!;
        }
        var latest = await db.Interactions.LatestAsync(contactId, CaseResponse.LatestInteractions, cancellationToken);
        Preconditions.Tag(http, found.Revision);
        return TypedResults.Ok(CaseResponse.From(found, latest, gate));
    }
}
