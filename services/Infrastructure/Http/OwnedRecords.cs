using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Funnel.Infrastructure.Http;

/// <summary>A contact's record at one stage: owned by a salesperson, edited under a revision.</summary>
public interface IOwnedRecord
{
    string? Owner { get; }
    int Revision { get; }
}

public static class OwnedRecords
{
    /// <summary>
    /// The contact's record, or the answer that refuses the request: 404 when unknown or another salesperson's (the
    /// same answer), and (for a write) 412 when <c>If-Match</c> names an older revision.
    /// </summary>
    public static async Task<Lookup<T>> FindForAsync<T>(this DbSet<T> records, Guid contactId, string what,
        Caller caller, HttpContext? write, CancellationToken cancellationToken)
        where T : class, IOwnedRecord
    {
        var record = await records.FindAsync([contactId], cancellationToken);
        if (record is null)
        {
            return new Lookup<T>(null, Problems.NotFound(what, contactId));
        }
        if (caller.Denies(record.Owner, what, contactId) is { } denied)
        {
            return new Lookup<T>(null, denied);
        }
        if (write is not null && Preconditions.Stale(write, record.Revision, what) is { } stale)
        {
            return new Lookup<T>(null, stale);
        }
        return new Lookup<T>(record, null);
    }
}

/// <summary>A record found for the caller, or why not.</summary>
public sealed record Lookup<T>(T? Record, ProblemHttpResult? Refusal) where T : class
{
    [MemberNotNullWhen(true, nameof(Refusal))]
    [MemberNotNullWhen(false, nameof(Record))]
    public bool Refused => Refusal is not null;
}
