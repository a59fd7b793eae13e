using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Funnel.Infrastructure.Data;

/// <summary>
/// Per-connection SQLite settings. <c>busy_timeout</c>: a writer that finds the file locked by another writer (a
/// request and the outbox relay, or a replica) waits inside SQLite, which retries within a millisecond or two;
/// without it Microsoft.Data.Sqlite retries a busy statement only every 150 ms, which put p99 latencies in the
/// hundreds of milliseconds under load (BENCHMARKS.md). <c>synchronous</c>: in WAL mode, <c>NORMAL</c>
/// keeps every commit through a crash of the service and keeps the file consistent, and fsyncs at checkpoints instead
/// of at every commit (measured here: about 2,800 commits/s with FULL, 65,000 with NORMAL; BENCHMARKS.md); only a
/// power loss or an OS crash can take back the last commits. <c>Database:Sqlite:Synchronous=Full</c> keeps those too.
/// <c>secure_delete</c>: what a change or a delete frees is overwritten with zeros, so an erased contact's data is not
/// left in the file's free space (the erasure test searches the files' bytes).
/// </summary>
internal sealed class SqliteTuning(string synchronous, int busyTimeoutSeconds) : DbConnectionInterceptor
{
    private readonly string _pragma =
        $"PRAGMA busy_timeout={busyTimeoutSeconds * 1000}; PRAGMA synchronous={Checked(synchronous)}; PRAGMA secure_delete=ON;";

    private static string Checked(string synchronous) => synchronous.ToUpperInvariant() is "FULL" or "NORMAL"
        ? synchronous.ToUpperInvariant()
        : throw new InvalidOperationException(
            $"Database:Sqlite:Synchronous '{synchronous}' is not supported; use 'Normal' or 'Full'.");

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _pragma;
        command.ExecuteNonQuery();
    }
}
