using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Leads.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Leads.Features.ReopenLead;

/// <summary><c>POST /api/leads/{contactId}/reopen</c>: a lost lead becomes a new lead again.</summary>
public static class ReopenLeadEndpoint
{
    public static void MapReopenLead(this IEndpointRouteBuilder app) =>
        app.MapPost("/{contactId:guid}/reopen", Handle)
            .WithName("ReopenLead")
            .WithSummary("Reopen a lost lead; 409 unless it is lost.");

    private static async Task<Results<Ok<LeadResponse>, ProblemHttpResult>> Handle(
        Guid contactId, LeadsDbContext db, StageGate gate, TimeProvider time, HttpContext http,
        Caller caller, CancellationToken cancellationToken)
    {
        return await db.Leads.MoveAsync(contactId, "lead", caller, http, lead =>
        {
            lead.Reopen(gate, time.GetUtcNow());
            return TypedResults.Ok(LeadResponse.From(lead));
        }, cancellationToken);
    }
}
