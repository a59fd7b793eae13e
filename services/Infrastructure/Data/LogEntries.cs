using Funnel.Infrastructure.Domain;
using Microsoft.EntityFrameworkCore;

namespace Funnel.Infrastructure.Data;

/// <summary>Reads of a record's log by its (contact, time, id) index, the same cost however long the log.</summary>
public static class LogEntries
{
    /// <summary>The record's latest <paramref name="count"/> entries, newest first.</summary>
    public static async Task<List<TEntry>> LatestAsync<TEntry>(this IQueryable<TEntry> entries, Guid contactId,
        int count, CancellationToken cancellationToken) where TEntry : class, ILogEntry =>
        await entries.AsNoTracking().Where(e => e.ContactId == contactId)
            .OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Take(count).ToListAsync(cancellationToken);

    /// <summary>The latest entries of each record of <paramref name="contactIds"/>, in one query (a page of records).</summary>
    public static async Task<ILookup<Guid, TEntry>> LatestOfEachAsync<TRecord, TEntry>(this IQueryable<TRecord> records,
        IQueryable<TEntry> entries, IReadOnlyCollection<Guid> contactIds, int count, CancellationToken cancellationToken)
        where TRecord : StageRecord
        where TEntry : class, ILogEntry =>
        (await records.AsNoTracking().Where(r => contactIds.Contains(r.ContactId))
            .Select(r => entries.Where(e => e.ContactId == r.ContactId)
                .OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Take(count).ToList())
            .ToListAsync(cancellationToken)).SelectMany(latest => latest).ToLookup(e => e.ContactId);

    /// <summary>A page of the record's entries, oldest first.</summary>
    public static async Task<List<TEntry>> PageAsync<TEntry>(this IQueryable<TEntry> entries, Guid contactId,
        int page, int pageSize, CancellationToken cancellationToken) where TEntry : class, ILogEntry =>
        await entries.AsNoTracking().Where(e => e.ContactId == contactId)
            .OrderBy(e => e.OccurredAt).ThenBy(e => e.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .ToListAsync(cancellationToken);

    /// <summary>Erases the personal data of every entry of the contact (tracked: saved with the erasure's unit of work).</summary>
    public static async Task EraseAsync<TEntry>(this IQueryable<TEntry> entries, Guid contactId,
        CancellationToken cancellationToken) where TEntry : class, ILogEntry
    {
        foreach (var entry in await entries.Where(e => e.ContactId == contactId).ToListAsync(cancellationToken))
        {
            entry.ErasePersonalData();
        }
    }
}
