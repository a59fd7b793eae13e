using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Http;
using Funnel.Qualification.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Qualification.Features.ListInteractions;

/// <summary>
/// <c>GET /api/qualification/{contactId}/interactions</c>: every interaction of the case, oldest first, a page at a
/// time (the case itself shows the latest few).
/// </summary>
public static class ListInteractionsEndpoint
{
    public static void MapListInteractions(this IEndpointRouteBuilder app) =>
        app.MapGet("/{contactId:guid}/interactions", Handle).WithName("ListInteractions")
            .WithSummary("Page through a case's interactions, oldest first.");

    private static async Task<Results<Ok<PagedList<InteractionResponse>>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid contactId, QualificationDbContext db, Caller caller, CancellationToken cancellationToken,
        int? page = null, int? pageSize = null)
    {
        var validation = new Validation();
        var (pageNumber, size) = Paging.Read(page, pageSize, validation);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var (found, refusal) = await db.Cases.FindOwnedAsync(contactId, "qualification case", caller, cancellationToken);
        if (found is null)
        {
            return refusal!;
        }
        // The case's count is the total: no count query over a long history.
        var items = await db.Interactions.PageAsync(contactId, pageNumber, size, cancellationToken);
        return TypedResults.Ok(new PagedList<InteractionResponse>(items.Select(InteractionResponse.From).ToList(),
            pageNumber, size, found.InteractionCount));
    }
}
