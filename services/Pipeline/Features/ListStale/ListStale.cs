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
        // One range per stage on the (status, stage, last activity) index, joined; the page is cut in the database and
        // only its journeys are read.
        IQueryable<JourneyRow>? stale = null;
        foreach (var (stage, days) in options.Value.AllowedIdleDays)
        {
            var cutoff = now.AddDays(-days);
            var idle = db.Journeys.Where(j => j.Status == JourneyStatus.Open && j.Stage == stage && j.LastActivityAt < cutoff);
            stale = stale is null ? idle : stale.Concat(idle);
        }
        if (stale is null)
        {
            return TypedResults.Ok(new PagedList<StaleContact>([], pageNumber, size, 0));
        }
        if (!string.IsNullOrWhiteSpace(owner))
        {
            stale = stale.Where(j => j.Owner == owner);
        }
        var total = await stale.CountAsync(cancellationToken);
        var keys = await stale.OrderBy(j => j.LastActivityAt).ThenBy(j => j.ContactId).Skip((pageNumber - 1) * size)
            .Take(size).Select(j => j.ContactId).ToListAsync(cancellationToken);
        var rows = await db.Journeys.AsNoTracking().Where(j => keys.Contains(j.ContactId))
            .ToDictionaryAsync(j => j.ContactId, cancellationToken);
        var items = keys.Select(key => rows[key].Journey).Select(j => new StaleContact(j.ContactId, j.Name, j.Stage,
            j.Owner, j.LastActivityAt, Math.Round((now - j.LastActivityAt).TotalDays, 2),
            options.Value.AllowedIdleDays[j.Stage], j.Next)).ToList();
        return TypedResults.Ok(new PagedList<StaleContact>(items, pageNumber, size, total));
    }
}
