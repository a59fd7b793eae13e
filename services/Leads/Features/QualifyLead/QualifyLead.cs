using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Leads.Data;
using Funnel.Leads.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Leads.Features.QualifyLead;

public sealed record QualifyLeadResponse(Guid ContactId, LeadStatus Status, string GateVersion, string Next);

/// <summary>
/// <c>POST /api/leads/{contactId}/qualify</c>: through the lead gate, the lead becomes a qualified lead and is handed
/// to Qualification by <see cref="LeadQualified"/>. 202: Qualification opens its case when the message arrives.
/// </summary>
public static class QualifyLeadEndpoint
{
    public static void MapQualifyLead(this IEndpointRouteBuilder app) =>
        app.MapPost("/{contactId:guid}/qualify", Handle)
            .WithName("QualifyLead")
            .WithSummary("Qualify the lead and hand it to Qualification: 202, or 409 with the unmet tasks.");

    private static async Task<Results<Accepted<QualifyLeadResponse>, ProblemHttpResult>> Handle(
        Guid contactId, LeadsDbContext db, StageGate gate, TimeProvider time, HttpContext http, Caller caller,
        CancellationToken cancellationToken)
    {
        return await db.Leads.MoveAsync(contactId, "lead", caller, http, lead =>
        {
            lead.Qualify(gate, time.GetUtcNow());
            var next = $"/api/qualification/{contactId}";
            return TypedResults.Accepted(next, new QualifyLeadResponse(contactId, lead.Status, gate.Version, next));
        }, cancellationToken);
    }
}
