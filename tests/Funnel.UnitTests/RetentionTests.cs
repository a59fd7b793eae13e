using Funnel.Infrastructure.Data;
using Funnel.Leads.Data;
using Funnel.Leads.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Funnel.UnitTests;

/// <summary>The purge keeps what a stage still needs and deletes what is past its retention, on a real SQLite file.</summary>
public sealed class RetentionTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-02T10:00:00Z");
    private readonly string _folder = Directory.CreateTempSubdirectory("funnel-retention-").FullName;

    [Fact]
    public async Task Sent_outbox_rows_handled_inbox_rows_and_idempotency_keys_past_retention_are_purged_and_nothing_else()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var services = Services("leads.db");
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SqliteLeadsDbContext>();
            await db.Database.MigrateAsync(cancel);
            // 2,500 old sent rows: more than one batch.
            db.Outbox.AddRange(Enumerable.Range(0, 2_500).Select(_ => Outbox(sentAt: Now.AddDays(-8))));
            db.Outbox.AddRange(Outbox(sentAt: Now.AddDays(-6)), Outbox(sentAt: null, createdAt: Now.AddDays(-30)));
            db.ProcessedMessages.AddRange(
                new ProcessedMessage { Consumer = "c", EventId = Guid.NewGuid(), ProcessedAt = Now.AddDays(-8) },
                new ProcessedMessage { Consumer = "c", EventId = Guid.NewGuid(), ProcessedAt = Now.AddDays(-1) });
            db.IdempotentRequests.AddRange(
                new IdempotentRequest { Caller = "alice", Key = "old", RequestHash = "h", CreatedAt = Now.AddHours(-25) },
                new IdempotentRequest { Caller = "alice", Key = "new", RequestHash = "h", CreatedAt = Now.AddHours(-23) });
            await db.SaveChangesAsync(cancel);
        }

        var purge = Purge(services);
        var purged = await purge.PurgeAsync(cancel);

        Assert.Equal(new PurgeResult(2_500, 1, 1, 0), purged);
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SqliteLeadsDbContext>();
            // The recent sent row and the unsent one, however old: it has yet to go out.
            Assert.Equal(2, await db.Outbox.CountAsync(cancel));
            Assert.Equal(1, await db.Outbox.CountAsync(m => m.SentAt == null, cancel));
            Assert.Equal(Now.AddDays(-1), (await db.ProcessedMessages.SingleAsync(cancel)).ProcessedAt);
            Assert.Equal("new", (await db.IdempotentRequests.SingleAsync(cancel)).Key);
        }
        Assert.Equal(new PurgeResult(0, 0, 0, 0), await purge.PurgeAsync(cancel));
    }

    [Fact]
    public async Task An_import_finished_past_retention_goes_with_its_rows_and_a_recent_or_running_one_stays()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var services = Services("imports.db");
        // 2,500 rows in the old import: more than one batch.
        var old = Import(finishedDaysAgo: 31, rows: 2_500);
        var recent = Import(finishedDaysAgo: 29, rows: 3);
        var running = Import(finishedDaysAgo: null, rows: 4);
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SqliteLeadsDbContext>();
            await db.Database.MigrateAsync(cancel);
            foreach (var (import, rows) in new[] { old, recent, running })
            {
                db.Imports.Add(import);
                db.ImportRows.AddRange(rows);
            }
            await db.SaveChangesAsync(cancel);
        }

        var purge = Purge(services);

        Assert.Equal(new PurgeResult(0, 0, 0, 2_501), await purge.PurgeAsync(cancel));
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SqliteLeadsDbContext>();
            Assert.Equal(new[] { recent.Import.ImportId, running.Import.ImportId }.Order(),
                (await db.Imports.Select(i => i.ImportId).ToListAsync(cancel)).Order());
            Assert.Equal(7, await db.ImportRows.CountAsync(r => r.ImportId != old.Import.ImportId, cancel));
            Assert.Equal(0, await db.ImportRows.CountAsync(r => r.ImportId == old.Import.ImportId, cancel));
        }
        Assert.Equal(new PurgeResult(0, 0, 0, 0), await purge.PurgeAsync(cancel));
    }

    private ServiceProvider Services(string file) => new ServiceCollection()
        .AddDbContext<SqliteLeadsDbContext>(options => options.UseSqlite($"Data Source={Path.Combine(_folder, file)};Pooling=false"))
        .BuildServiceProvider();

    private static RetentionPurge<SqliteLeadsDbContext> Purge(ServiceProvider services) => new(
        services.GetRequiredService<IServiceScopeFactory>(), new FixedTime(Now), Options.Create(new RetentionOptions()),
        NullLogger<RetentionPurge<SqliteLeadsDbContext>>.Instance);

    private static (LeadImport Import, List<ImportRowOutcome> Rows) Import(int? finishedDaysAgo, int rows)
    {
        var import = new LeadImport { ImportId = Guid.CreateVersion7(), Caller = "alice", CreatedAt = Now.AddDays(-40) };
        var outcomes = Enumerable.Range(1, rows)
            .Select(row => new ImportRowOutcome { ImportId = import.ImportId, Row = row, Outcome = ImportOutcome.Imported })
            .ToList();
        import.Receive(parts: 1, rows);
        import.Advance(outcomes);
        if (finishedDaysAgo is { } days)
        {
            import.Finish(Now.AddDays(-days));
        }
        return (import, outcomes);
    }

    private static OutboxMessage Outbox(DateTimeOffset? sentAt, DateTimeOffset? createdAt = null) => new()
    {
        EventId = Guid.NewGuid(),
        Type = "t",
        Payload = "{}",
        CreatedAt = createdAt ?? sentAt ?? Now,
        SentAt = sentAt,
    };

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
