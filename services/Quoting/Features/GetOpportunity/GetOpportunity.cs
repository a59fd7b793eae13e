using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Quoting.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Quoting.Features.GetOpportunity;

/// <summary><c>GET /api/quoting/{contactId}</c>: percent complete, expected close, latest activities and quotes.</summary>
public static class GetOpportunityEndpoint
{
    public static void MapGetOpportunity(this IEndpointRouteBuilder app) =>
        app.MapGet("/{contactId:guid}", Handle).WithName("GetOpportunity")
            .WithSummary("The opportunity: percentComplete, expectedCloseDate, activities, quotes.");

    private static async Task<Results<Ok<OpportunityResponse>, ProblemHttpResult>> Handle(
        Guid contactId, QuotingDbContext db, StageGate gate, TimeProvider time, HttpContext http,
        Caller caller, CancellationToken cancellationToken)
    {
        var (found, refusal) = await db.Opportunities.FindForAsync(contactId, "opportunity", caller, write: null,
            cancellationToken);
        if (found is null)
        {
            return refusal!;
        }
        var latest = await db.Activities.LatestAsync(contactId, OpportunityResponse.LatestActivities, cancellationToken);
        Preconditions.Tag(http, found.Revision);
        return TypedResults.Ok(OpportunityResponse.From(found, latest, gate, time.Today()));
    }
}
