using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;

namespace Funnel.Infrastructure.Data;

/// <summary>
/// SQLite lets one writer at a time into a file. Left to themselves, a service's concurrent writers meet at the
/// file's lock and all but one sleep in SQLite's busy handler (1, 2, 5, 10 ms and longer) before they look again, so
/// under load most of a write's time was sleeping while the lock stood free (BENCHMARKS.md). Inside one process they
/// queue here instead and each goes in the moment the last one leaves. Other processes on the file (replicas, the
/// data move) still meet at the lock and wait in the busy handler as before. Server databases take no turn.
/// </summary>
public static class SqliteWriterTurn
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Turns = new(StringComparer.Ordinal);

    /// <summary>Waits for this process's turn to write to <paramref name="db"/>'s file; dispose to pass it on.</summary>
    public static async ValueTask<IDisposable> WriterTurnAsync(this DbContext db, CancellationToken cancellationToken)
    {
        if (TurnOf(db) is not { } turn)
        {
            return Turn.None;
        }
        await turn.WaitAsync(cancellationToken);
        return new Turn(turn);
    }

    /// <inheritdoc cref="WriterTurnAsync"/>
    public static IDisposable WriterTurn(this DbContext db)
    {
        if (TurnOf(db) is not { } turn)
        {
            return Turn.None;
        }
        turn.Wait();
        return new Turn(turn);
    }

    /// <summary>
    /// A write inside a transaction already holds the file's lock (Microsoft.Data.Sqlite begins transactions
    /// IMMEDIATE), so it takes no turn: waiting for one there could wait on itself.
    /// </summary>
    private static SemaphoreSlim? TurnOf(DbContext db) =>
        db.Database.IsSqlite() && db.Database.CurrentTransaction is null
            ? Turns.GetOrAdd(db.Database.GetConnectionString() ?? "", _ => new SemaphoreSlim(1, 1))
            : null;

    private sealed class Turn(SemaphoreSlim? turn) : IDisposable
    {
        public static readonly Turn None = new(null);
        private SemaphoreSlim? _turn = turn;

        public void Dispose() => Interlocked.Exchange(ref _turn, null)?.Release();
    }
}
