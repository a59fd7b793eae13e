using Funnel.Infrastructure.Http;
using Funnel.Leads.Data;
using Funnel.Leads.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Funnel.Leads.Features.ImportLeads;

/// <summary>An import's progress; once it is over, a page of its rows' outcomes.</summary>
public sealed record ImportProgress(
    Guid ImportId, ImportStatus Status, int Rows, int Processed, int Imported, int Qualified, int Duplicates,
    int Rejected, string? Failure, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt, PagedList<ImportRowResult>? Results)
{
    public static ImportProgress From(LeadImport import, PagedList<ImportRowResult>? results) =>
        new(import.ImportId, import.Status, import.Rows, import.Processed, import.Imported, import.Qualified,
            import.Duplicates, import.Rejected, import.Failure, import.CreatedAt, import.FinishedAt, results);
}

/// <summary><c>GET /api/leads/imports/{importId}</c>: the importer's (or a manager's) view of an import.</summary>
public static class GetImportEndpoint
{
    public static void MapGetImport(this IEndpointRouteBuilder app) =>
        app.MapGet("/imports/{importId:guid}", Handle).WithName("GetImport")
            .WithSummary("An import's status, rows processed and counts per outcome; once over, its rows' outcomes (paged).");

    private static async Task<Results<Ok<ImportProgress>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid importId, LeadsDbContext db, Caller caller, CancellationToken cancellationToken, int? page = null,
        int? pageSize = null)
    {
        var validation = new Validation();
        var (pageNumber, size) = Paging.Read(page, pageSize, validation);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var import = await db.Imports.AsNoTracking().SingleOrDefaultAsync(i => i.ImportId == importId, cancellationToken);
        if (import is null || caller.Denies(import.Caller, "import", importId) is not null)
        {
            return Problems.NotFound("import", importId);
        }
        PagedList<ImportRowResult>? results = null;
        if (import.Status != ImportStatus.Running)
        {
            // Rows are numbered from 1 without gaps, so a page is a range of the key.
            var first = (long)(pageNumber - 1) * size;
            var rows = await db.ImportRows.AsNoTracking().Where(r => r.ImportId == importId && r.Row > first)
                .OrderBy(r => r.Row).Take(size).ToListAsync(cancellationToken);
            results = new PagedList<ImportRowResult>(rows.Select(ImportRowResult.From).ToList(), pageNumber, size, import.Processed);
        }
        return TypedResults.Ok(ImportProgress.From(import, results));
    }
}
