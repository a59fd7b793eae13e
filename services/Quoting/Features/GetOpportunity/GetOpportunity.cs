using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Quoting.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Quoting.Features.GetOpportunity;

/// <summary><c>GET /api/quoting/{contactId}</c>: percent complete, expected close, activities and quotes.</summary>
public static class GetOpportunityEndpoint
{
    public static void MapGetOpportunity(this IEndpointRouteBuilder app) =>
        app.MapGet("/{contactId:guid}", Handle).WithName("GetOpportunity")
            .WithSummary("The opportunity: percentComplete, expectedCloseDate, activities, quotes.");

    private static async Task<Results<Ok<OpportunityResponse>, ProblemHttpResult>> Handle(
        Guid contactId, QuotingDbContext db, StageGate gate, TimeProvider time, HttpContext http,
        Caller caller, CancellationToken cancellationToken)
    {
        return await db.Opportunities.ReadAsync(contactId, "opportunity", caller, http,
            found => OpportunityResponse.From(found, gate, time.Today()), cancellationToken);
    }
}
