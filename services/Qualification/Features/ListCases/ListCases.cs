using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Qualification.Data;
using Funnel.Qualification.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Qualification.Features.ListCases;

/// <summary><c>GET /api/qualification</c>: cases, newest first, by status and owner.</summary>
public static class ListCasesEndpoint
{
    public static void MapListCases(this IEndpointRouteBuilder app) =>
        app.MapGet("", Handle).WithName("ListCases").WithSummary("Page through qualification cases.")
            .WithQueryValues<CaseStatus>("status");

    private static async Task<Results<Ok<PagedList<CaseResponse>>, ValidationProblem>> Handle(
        QualificationDbContext db, StageGate gate, Caller caller, CancellationToken cancellationToken,
        string? status = null, string? owner = null, int? page = null, int? pageSize = null)
    {
        var validation = new Validation();
        var statusFilter = EnumQuery.Parse<CaseStatus>(status, "status", validation);
        var (pageNumber, size) = Paging.Read(page, pageSize, validation);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var query = db.Cases.AsQueryable();
        if (statusFilter is not null)
        {
            query = query.Where(c => c.Status == statusFilter);
        }
        owner = caller.OwnerFilter(owner);
        if (!string.IsNullOrWhiteSpace(owner))
        {
            query = query.Where(c => c.Owner == owner);
        }
        var cases = await query.OrderByDescending(c => c.OpenedAt).ThenBy(c => c.ContactId)
            .ToPageAsync(pageNumber, size, c => c, cancellationToken);
        var latest = await db.Cases.LatestOfEachAsync(db.Interactions, cases.Items.Select(c => c.ContactId).ToList(),
            CaseResponse.LatestInteractions, cancellationToken);
        return TypedResults.Ok(new PagedList<CaseResponse>(
            cases.Items.Select(c => CaseResponse.From(c, latest[c.ContactId], gate)).ToList(), cases.Page,
            cases.PageSize, cases.Total));
    }
}
