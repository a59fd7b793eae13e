using Funnel.Infrastructure.Http;
using Funnel.Leads.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Leads.Features.DisqualifyLead;

/// <summary><c>POST /api/leads/{contactId}/disqualify</c>: the lead is lost, with a reason.</summary>
public static class DisqualifyLeadEndpoint
{
    public static void MapDisqualifyLead(this IEndpointRouteBuilder app) =>
        app.MapPost("/{contactId:guid}/disqualify", Handle)
            .WithName("DisqualifyLead")
            .WithSummary("Disqualify the lead; a reason is required.");

    private static async Task<Results<Ok<LeadResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid contactId, ReasonRequest request, LeadsDbContext db, TimeProvider time, HttpContext http,
        Caller caller, CancellationToken cancellationToken)
    {
        var validation = new Validation().Reason(request.Reason);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var lookup = await db.Leads.FindForAsync(contactId, "lead", caller, http, cancellationToken);
        if (lookup.Refused)
        {
            return lookup.Refusal;
        }
        var lead = lookup.Record;
        lead.Disqualify(request.Reason!.Trim(), time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);

        Preconditions.Tag(http, lead.Revision);
        return TypedResults.Ok(LeadResponse.From(lead));
    }
}
