using Funnel.Infrastructure.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Funnel.Infrastructure.Http;

/// <summary>
/// The one shape of every request on a contact's record, so a handler says only what differs: which record, which
/// domain call, which answer. The caller's record is found (404 when unknown or another salesperson's, the same
/// answer), a write is refused with 412 when <c>If-Match</c> names an older revision, the move is saved with the
/// events it recorded, and the answer carries the record's revision as its ETag.
/// </summary>
public static class OwnedRecords
{
    /// <summary>Reads the caller's record: 200 with <paramref name="answer"/>, or the refusal.</summary>
    public static async Task<Results<Ok<TResponse>, ProblemHttpResult>> ReadAsync<TRecord, TResponse>(
        this DbSet<TRecord> records, Guid contactId, string what, Caller caller, HttpContext http,
        Func<TRecord, TResponse> answer, CancellationToken cancellationToken)
        where TRecord : class, IOwnedRecord
    {
        var (record, refusal) = await records.FindForAsync(contactId, what, caller, write: null, cancellationToken);
        if (record is null)
        {
            return refusal!;
        }
        Preconditions.Tag(http, record.Revision);
        return TypedResults.Ok(answer(record));
    }

    /// <summary>
    /// One move on the caller's record: <paramref name="move"/> makes the domain call and says how to answer; the
    /// answer is sent only once the move and its events are saved.
    /// </summary>
    public static async Task<Results<TAnswer, ProblemHttpResult>> MoveAsync<TRecord, TAnswer>(
        this DbSet<TRecord> records, Guid contactId, string what, Caller caller, HttpContext http,
        Func<TRecord, TAnswer> move, CancellationToken cancellationToken)
        where TRecord : class, IOwnedRecord
        where TAnswer : IResult
    {
        var (record, refusal) = await records.FindForAsync(contactId, what, caller, http, cancellationToken);
        if (record is null)
        {
            return refusal!;
        }
        var answer = move(record);
        await records.GetService<ICurrentDbContext>().Context.SaveChangesAsync(cancellationToken);
        Preconditions.Tag(http, record.Revision);
        return answer;
    }

    /// <summary>A move whose request is validated first: 400 with every problem, else as the move without.</summary>
    public static async Task<Results<TAnswer, ValidationProblem, ProblemHttpResult>> MoveAsync<TRecord, TAnswer>(
        this DbSet<TRecord> records, Guid contactId, string what, Validation validation, Caller caller,
        HttpContext http, Func<TRecord, TAnswer> move, CancellationToken cancellationToken)
        where TRecord : class, IOwnedRecord
        where TAnswer : IResult
    {
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var moved = await records.MoveAsync(contactId, what, caller, http, move, cancellationToken);
        return moved.Result switch
        {
            TAnswer answer => answer,
            _ => (ProblemHttpResult)moved.Result,
        };
    }

    /// <summary>The caller's record for a request that does more than one move (a lead's edit); or the refusal.</summary>
    public static async Task<(TRecord? Record, ProblemHttpResult? Refusal)> FindForAsync<TRecord>(
        this DbSet<TRecord> records, Guid contactId, string what, Caller caller, HttpContext? write,
        CancellationToken cancellationToken)
        where TRecord : class, IOwnedRecord
    {
        var (record, refusal) = await records.FindOwnedAsync(contactId, what, caller, cancellationToken);
        if (record is not null && write is not null && Preconditions.Stale(write, record.Revision, what) is { } stale)
        {
            return (null, stale);
        }
        return (record, refusal);
    }

    /// <summary>What the caller owns, by key: 404 when unknown or another salesperson's (the same answer).</summary>
    public static async Task<(T? Found, ProblemHttpResult? Refusal)> FindOwnedAsync<T>(this DbSet<T> set, Guid key,
        string what, Caller caller, CancellationToken cancellationToken)
        where T : class, IOwned
    {
        var found = await set.FindAsync([key], cancellationToken);
        if (found is null)
        {
            return (null, Problems.NotFound(what, key));
        }
        return caller.Denies(found.Owner, what, key) is { } denied ? (null, denied) : (found, null);
    }
}
