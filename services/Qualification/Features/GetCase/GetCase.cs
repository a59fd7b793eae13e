using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Qualification.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Qualification.Features.GetCase;

/// <summary><c>GET /api/qualification/{contactId}</c>: the case with its checklist and credit check.</summary>
public static class GetCaseEndpoint
{
    public static void MapGetCase(this IEndpointRouteBuilder app) =>
        app.MapGet("/{contactId:guid}", Handle).WithName("GetCase")
            .WithSummary("The qualification case: status, owner, checklist, credit check.");

    private static async Task<Results<Ok<CaseResponse>, ProblemHttpResult>> Handle(
        Guid contactId, QualificationDbContext db, StageGate gate, HttpContext http, Caller caller,
        CancellationToken cancellationToken)
    {
        return await db.Cases.ReadAsync(contactId, "qualification case", caller, http,
            found => CaseResponse.From(found, gate), cancellationToken);
    }
}
