using Funnel.Contracts;
using Funnel.Infrastructure.Http;
using Funnel.Pipeline.Data;
using Funnel.Pipeline.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Funnel.Pipeline.Features.ListStale;

/// <summary>Section <c>Pipeline</c>: how many days a contact may stay idle in each stage.</summary>
public sealed class StaleOptions
{
    public Dictionary<string, int> AllowedIdleDays { get; set; } = [];
}

public sealed record StaleContact(
    Guid ContactId, string? Name, string Stage, string Owner, DateTimeOffset LastActivityAt, double IdleDays,
    int AllowedDays, IReadOnlyList<string> Next);

/// <summary>
/// <c>GET /api/pipeline/stale</c>: open contacts with no event for longer than their stage allows, the longest idle
/// first. <c>asOf</c> (default now) asks how it will look at another time.
/// </summary>
public static class ListStaleEndpoint
{
    public static void MapListStale(this IEndpointRouteBuilder app) =>
        app.MapGet("/stale", Handle).WithName("ListStale")
            .WithSummary("Contacts idle in a stage longer than that stage's allowed days.");

    private static async Task<Results<Ok<PagedList<StaleContact>>, ValidationProblem>> Handle(
        PipelineDbContext db, IOptionsSnapshot<StaleOptions> options, TimeProvider time,
        Caller caller, CancellationToken cancellationToken, string? owner = null, DateTimeOffset? asOf = null, int? page = null,
        int? pageSize = null)
    {
        owner = caller.OwnerFilter(owner);
        var validation = new Validation();
        var (pageNumber, size) = Paging.Read(page, pageSize, validation);
        // Far enough from both ends of time that subtracting a stage's allowed days cannot leave the calendar.
        validation.Check(asOf is null || (asOf.Value.Year is >= 2000 and <= 9000), "asOf",
            "'asOf' must be a time between the years 2000 and 9000.");
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var now = asOf ?? time.GetUtcNow();
        var (keys, total) = await db.StalePageAsync(now, options.Value.AllowedIdleDays, owner, pageNumber, size,
            cancellationToken);
        var rows = await db.Journeys.AsNoTracking().Where(j => keys.Contains(j.ContactId))
            .ToDictionaryAsync(j => j.ContactId, cancellationToken);
        var items = keys.Select(key => rows[key].Journey).Select(j => new StaleContact(j.ContactId, j.Name, j.Stage,
            j.Owner, j.LastActivityAt, Math.Round((now - j.LastActivityAt).TotalDays, 2),
            options.Value.AllowedIdleDays[j.Stage], j.Next)).ToList();
        return TypedResults.Ok(new PagedList<StaleContact>(items, pageNumber, size, total));
    }
}

public static class StaleQuery
{
    /// <summary>
    /// The contacts on one page of the stale list, the longest idle first, and how many are stale in all. One range
    /// per stage on the covering (status, stage, last activity, contact) index: each stage gives its first candidates
    /// up to the page's end in index order and they are merged here, so a page reads the entries up to its end and no
    /// more (a single sorted union made SQLite sort every stale entry, BENCHMARKS.md). Equal times keep the stages'
    /// funnel order, so the order is total and the same on every page.
    /// </summary>
    public static async Task<(List<Guid> Keys, int Total)> StalePageAsync(this PipelineDbContext db, DateTimeOffset now,
        IReadOnlyDictionary<string, int> allowedIdleDays, string? owner, int page, int size,
        CancellationToken cancellationToken)
    {
        var skip = (page - 1) * size;
        var total = 0;
        var candidates = new List<(DateTimeOffset LastActivityAt, Guid ContactId)>();
        foreach (var stage in Stages.InOrder.Where(allowedIdleDays.ContainsKey))
        {
            var cutoff = now.AddDays(-allowedIdleDays[stage]);
            var idle = db.Journeys.Where(j => j.Status == JourneyStatus.Open && j.Stage == stage && j.LastActivityAt < cutoff);
            if (!string.IsNullOrWhiteSpace(owner))
            {
                idle = idle.Where(j => j.Owner == owner);
            }
            total += await idle.CountAsync(cancellationToken);
            candidates.AddRange((await idle.OrderBy(j => j.LastActivityAt).ThenBy(j => j.ContactId).Take(skip + size)
                    .Select(j => new { j.LastActivityAt, j.ContactId }).ToListAsync(cancellationToken))
                .Select(j => (j.LastActivityAt, j.ContactId)));
        }
        // A stable sort: equal times stay in the stages' order, then the index's.
        return (candidates.OrderBy(c => c.LastActivityAt).Skip(skip).Take(size).Select(c => c.ContactId).ToList(), total);
    }
}
