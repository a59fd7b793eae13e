using Funnel.Infrastructure.Data;
using Funnel.Leads.Data;
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
        await using var services = new ServiceCollection()
            .AddDbContext<SqliteLeadsDbContext>(options => options.UseSqlite($"Data Source={Path.Combine(_folder, "leads.db")};Pooling=false"))
            .BuildServiceProvider();
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

        var purge = new RetentionPurge<SqliteLeadsDbContext>(services.GetRequiredService<IServiceScopeFactory>(),
            new FixedTime(Now), Options.Create(new RetentionOptions()), NullLogger<RetentionPurge<SqliteLeadsDbContext>>.Instance);
        var purged = await purge.PurgeAsync(cancel);

        Assert.Equal(new PurgeResult(2_500, 1, 1), purged);
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SqliteLeadsDbContext>();
            // The recent sent row and the unsent one, however old: it has yet to go out.
            Assert.Equal(2, await db.Outbox.CountAsync(cancel));
            Assert.Equal(1, await db.Outbox.CountAsync(m => m.SentAt == null, cancel));
            Assert.Equal(Now.AddDays(-1), (await db.ProcessedMessages.SingleAsync(cancel)).ProcessedAt);
            Assert.Equal("new", (await db.IdempotentRequests.SingleAsync(cancel)).Key);
        }
        Assert.Equal(new PurgeResult(0, 0, 0), await purge.PurgeAsync(cancel));
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
