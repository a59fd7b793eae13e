using Funnel.Contracts;
using Funnel.Infrastructure.Http;
using Funnel.Leads.Data;
using Funnel.Leads.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Leads.Features.DisqualifyLead;

/// <summary><c>POST /api/leads/{contactId}/disqualify</c>: the lead is lost, with a reason.</summary>
public static class DisqualifyLeadEndpoint
{
    public static void MapDisqualifyLead(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/leads/{contactId:guid}/disqualify", Handle)
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
        if (lead.Status != LeadStatus.New)
        {
            return Problems.InvalidTransition($"Lead {contactId} is {lead.Status.ToString().ToLowerInvariant()}.");
        }

        var now = time.GetUtcNow();
        lead.Disqualify(now, request.Reason!.Trim());
        db.Publish(new ContactLost(Guid.CreateVersion7(), contactId, now, lead.Owner ?? "", [], Stages.Lead,
            lead.LostReason!));
        await db.SaveChangesAsync(cancellationToken);

        Preconditions.Tag(http, lead.Revision);
        return TypedResults.Ok(LeadResponse.From(lead));
    }
}
