using System.Data.Common;
using Funnel.Infrastructure.Data;
using Funnel.Qualification.Data;
using Funnel.Qualification.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Funnel.UnitTests;

/// <summary>How a service writes to its SQLite file under concurrency: writers take turns, and the relay is woken once.</summary>
public sealed class SqliteWritingTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-03T10:00:00Z");
    private readonly string _folder = Directory.CreateTempSubdirectory("funnel-writing-").FullName;
    private readonly OutboxSignal _signal = new();

    [Fact]
    public async Task A_save_waits_while_another_writer_of_the_process_has_its_turn_at_the_file()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var holder = Open();
        await using var writer = Open();
        var turn = await holder.WriterTurnAsync(cancellationToken);

        writer.Cases.Add(NewCase());
        var save = writer.SaveChangesAsync(cancellationToken);
        await Task.Delay(200, cancellationToken);
        Assert.False(save.IsCompleted);

        turn.Dispose();
        Assert.Equal(2, await save.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken));
    }

    [Fact]
    public async Task A_save_inside_a_transaction_takes_no_turn_and_so_cannot_wait_on_itself()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var db = Open();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        using (await db.WriterTurnAsync(cancellationToken))
        {
            db.Cases.Add(NewCase());
            await db.SaveChangesAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        Assert.Equal(1, await db.Cases.CountAsync(cancellationToken));
    }

    [Fact]
    public async Task Many_concurrent_writers_all_commit_and_wake_the_relay_once_without_an_exception()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using (var migrate = Open())
        {
            await migrate.Database.MigrateAsync(cancellationToken);
        }
        var thrown = 0;
        void Count(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
        {
            if (e.Exception is SemaphoreFullException)
            {
                Interlocked.Increment(ref thrown);
            }
        }
        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(async () =>
            {
                await using var db = Open(migrate: false);
                db.Cases.Add(NewCase());
                await db.SaveChangesAsync(cancellationToken);
            }, cancellationToken)));
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        await using (var db = Open())
        {
            Assert.Equal(40, await db.Cases.CountAsync(cancellationToken));
            Assert.Equal(40, await db.Outbox.CountAsync(cancellationToken));
        }
        Assert.Equal(0, thrown);
        Assert.True(await _signal.WaitAsync(TimeSpan.FromSeconds(1), cancellationToken));
        Assert.False(await _signal.WaitAsync(TimeSpan.FromMilliseconds(100), cancellationToken));

        // A commit after the relay woke wakes it again.
        await using (var db = Open())
        {
            db.Cases.Add(NewCase());
            await db.SaveChangesAsync(cancellationToken);
        }
        Assert.True(await _signal.WaitAsync(TimeSpan.FromSeconds(1), cancellationToken));
    }

    [Fact]
    public async Task An_asynchronous_save_of_new_records_runs_no_query_synchronously()
    {
        // The check for erased contacts ran synchronously inside SaveChangesAsync: on PostgreSQL under load each such
        // query held a thread while it waited for a pooled connection, until no thread was left to give one back.
        var cancellationToken = TestContext.Current.CancellationToken;
        var commands = new CommandCounter();
        await using (var migrate = Open())
        {
            await migrate.Database.MigrateAsync(cancellationToken);
        }
        var options = new DbContextOptionsBuilder<SqliteQualificationDbContext>()
            .UseSqlite($"Data Source={Path.Combine(_folder, "qualification.db")}")
            .AddInterceptors(commands)
            .Options;
        await using (var db = new SqliteQualificationDbContext(options))
        {
            db.Cases.Add(NewCase());
            await db.SaveChangesAsync(cancellationToken);
        }
        Assert.True(commands.Asynchronous >= 2, "the erased-contact check and the insert ran");
        Assert.Equal(0, commands.Synchronous);
    }

    private sealed class CommandCounter : DbCommandInterceptor
    {
        public int Synchronous;
        public int Asynchronous;

        public override InterceptionResult<DbDataReader> ReaderExecuting(
            DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result)
        {
            Interlocked.Increment(ref Synchronous);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result,
            CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Asynchronous);
            return ValueTask.FromResult(result);
        }
    }

    private static QualificationCase NewCase() => QualificationCase.Open(new Contracts.LeadQualified(Guid.CreateVersion7(),
        Guid.CreateVersion7(), Now, "alice", [], "lead-1", "Ada", null, null, null), Gates.Stage(QualificationTasks.Known), Now);

    private SqliteQualificationDbContext Open(bool migrate = true)
    {
        var options = new DbContextOptionsBuilder<SqliteQualificationDbContext>()
            .UseSqlite($"Data Source={Path.Combine(_folder, "qualification.db")}")
            .AddInterceptors(_signal)
            .Options;
        var db = new SqliteQualificationDbContext(options);
        if (migrate)
        {
            db.Database.Migrate();
        }
        return db;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
