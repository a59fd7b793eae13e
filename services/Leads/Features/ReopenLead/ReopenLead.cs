using Funnel.Contracts;
using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Leads.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Leads.Features.ReopenLead;

/// <summary><c>POST /api/leads/{contactId}/reopen</c>: a lost lead becomes a new lead again.</summary>
public static class ReopenLeadEndpoint
{
    public static void MapReopenLead(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/leads/{contactId:guid}/reopen", Handle)
            .WithName("ReopenLead")
            .WithSummary("Reopen a lost lead; 409 unless it is lost.");

    private static async Task<Results<Ok<LeadResponse>, ProblemHttpResult>> Handle(
        Guid contactId, LeadsDbContext db, StageGate gate, TimeProvider time, HttpContext http,
        Caller caller, CancellationToken cancellationToken)
    {
        var lead = await db.Leads.FindAsync([contactId], cancellationToken);
        if (lead is null)
        {
            return Problems.NotFound("lead", contactId);
        }
        if (caller.Denies(lead.Owner, "lead") is { } denied)
        {
            return denied;
        }
        if (Preconditions.Stale(http, lead.Revision, "lead") is { } stale)
        {
            return stale;
        }

        lead.Reopen();
        db.Publish(new LeadReopened(Guid.CreateVersion7(), contactId, time.GetUtcNow(), lead.Owner ?? "",
            gate.Unmet(lead.DoneTasks())));
        await db.SaveChangesAsync(cancellationToken);

        Preconditions.Tag(http, lead.Revision);
        return TypedResults.Ok(LeadResponse.From(lead));
    }
}
