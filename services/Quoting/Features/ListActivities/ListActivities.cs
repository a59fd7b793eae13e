using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Http;
using Funnel.Quoting.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Quoting.Features.ListActivities;

/// <summary>
/// <c>GET /api/quoting/{contactId}/activities</c>: every activity of the opportunity, oldest first, a page at a time
/// (the opportunity itself shows the latest few).
/// </summary>
public static class ListActivitiesEndpoint
{
    public static void MapListActivities(this IEndpointRouteBuilder app) =>
        app.MapGet("/{contactId:guid}/activities", Handle).WithName("ListActivities")
            .WithSummary("Page through an opportunity's activities, oldest first.");

    private static async Task<Results<Ok<PagedList<ActivityResponse>>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid contactId, QuotingDbContext db, Caller caller, CancellationToken cancellationToken,
        int? page = null, int? pageSize = null)
    {
        var validation = new Validation();
        var (pageNumber, size) = Paging.Read(page, pageSize, validation);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var (found, refusal) = await db.Opportunities.FindOwnedAsync(contactId, "opportunity", caller, cancellationToken);
        if (found is null)
        {
            return refusal!;
        }
        // The opportunity's count is the total: no count query over a long history.
        var items = await db.Activities.PageAsync(contactId, pageNumber, size, cancellationToken);
        return TypedResults.Ok(new PagedList<ActivityResponse>(items.Select(ActivityResponse.From).ToList(),
            pageNumber, size, found.ActivityCount));
    }
}
