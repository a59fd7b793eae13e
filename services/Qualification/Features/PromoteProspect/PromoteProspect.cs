using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Qualification.Data;
using Funnel.Qualification.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Qualification.Features.PromoteProspect;

public sealed record PromoteProspectResponse(Guid ContactId, CaseStatus Status, string GateVersion, string Next);

/// <summary>
/// <c>POST /api/qualification/{contactId}/promote</c>: through the qualification gate, the qualified lead becomes a
/// prospect and is handed to Quoting by <see cref="ProspectQualified"/>.
/// </summary>
public static class PromoteProspectEndpoint
{
    public static void MapPromoteProspect(this IEndpointRouteBuilder app) =>
        app.MapPost("/{contactId:guid}/promote", Handle).WithName("PromoteProspect")
            .WithSummary("Promote to prospect: 202, or 409 with the unmet tasks.");

    private static async Task<Results<Accepted<PromoteProspectResponse>, ProblemHttpResult>> Handle(
        Guid contactId, QualificationDbContext db, StageGate gate, TimeProvider time, HttpContext http,
        Caller caller, CancellationToken cancellationToken)
    {
        return await db.Cases.MoveAsync(contactId, "qualification case", caller, http, found =>
        {
            found.Promote(gate, time.GetUtcNow());
            var next = $"/api/quoting/{contactId}";
            return TypedResults.Accepted(next,
                new PromoteProspectResponse(contactId, found.Status, gate.Version, next));
        }, cancellationToken);
    }
}
