using Funnel.Infrastructure.Http;
using Funnel.Leads.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Leads.Features.GetLead;

/// <summary><c>GET /api/leads/{contactId}</c>: one lead, with its ETag.</summary>
public static class GetLeadEndpoint
{
    public static void MapGetLead(this IEndpointRouteBuilder app) =>
        app.MapGet("/{contactId:guid}", Handle).WithName("GetLead").WithSummary("One lead, with its ETag.");

    private static async Task<Results<Ok<LeadResponse>, ProblemHttpResult>> Handle(
        Guid contactId, LeadsDbContext db, HttpContext http, Caller caller, CancellationToken cancellationToken)
    {
        return await db.Leads.ReadAsync(contactId, "lead", caller, http, LeadResponse.From, cancellationToken);
    }
}
