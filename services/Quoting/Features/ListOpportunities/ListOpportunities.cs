using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Quoting.Data;
using Funnel.Quoting.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Quoting.Features.ListOpportunities;

/// <summary><c>GET /api/quoting</c>: opportunities, newest first, by owner and status.</summary>
public static class ListOpportunitiesEndpoint
{
    public static void MapListOpportunities(this IEndpointRouteBuilder app) =>
        app.MapGet("", Handle).WithName("ListOpportunities").WithSummary("Page through opportunities.")
            .WithQueryValues<OpportunityStatus>("status");

    private static async Task<Results<Ok<PagedList<OpportunityResponse>>, ValidationProblem>> Handle(
        QuotingDbContext db, StageGate gate, TimeProvider time, Caller caller, CancellationToken cancellationToken,
        string? owner = null, string? status = null, int? page = null, int? pageSize = null)
    {
        var validation = new Validation();
        var statusFilter = EnumQuery.Parse<OpportunityStatus>(status, "status", validation);
        var (pageNumber, size) = Paging.Read(page, pageSize, validation);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var query = db.Opportunities.AsQueryable();
        if (statusFilter is not null)
        {
            query = query.Where(o => o.Status == statusFilter);
        }
        owner = caller.OwnerFilter(owner);
        if (!string.IsNullOrWhiteSpace(owner))
        {
            query = query.Where(o => o.Owner == owner);
        }
        var today = time.Today();
        var opportunities = await query.OrderByDescending(o => o.OpenedAt).ThenBy(o => o.ContactId)
            .ToPageAsync(pageNumber, size, o => o, cancellationToken);
        var latest = await db.Opportunities.LatestOfEachAsync(db.Activities,
            opportunities.Items.Select(o => o.ContactId).ToList(), OpportunityResponse.LatestActivities, cancellationToken);
        return TypedResults.Ok(new PagedList<OpportunityResponse>(
            opportunities.Items.Select(o => OpportunityResponse.From(o, latest[o.ContactId], gate, today)).ToList(),
            opportunities.Page, opportunities.PageSize, opportunities.Total));
    }
}
