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
        var validation = Validation.Of(request);
        return await db.Leads.MoveAsync(contactId, "lead", validation, caller, http, lead =>
        {
            lead.Disqualify(request.Reason!.Trim(), time.GetUtcNow());
            return TypedResults.Ok(LeadResponse.From(lead));
        }, cancellationToken);
    }
}
