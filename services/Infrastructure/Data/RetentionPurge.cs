using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Funnel.Infrastructure.Data;

/// <summary><c>Retention</c>: how long a stage keeps what it needs only for a while.</summary>
public sealed class RetentionOptions
{
    /// <summary>
    /// Sent outbox rows and handled inbox rows: they carry personal data and are needed only while a message can still
    /// arrive again (redelivery backs off over minutes). A message replayed from an error queue after this long is
    /// handled as new.
    /// </summary>
    public TimeSpan Messages { get; set; } = TimeSpan.FromDays(7);

    /// <summary>An <c>Idempotency-Key</c>'s stored answer: a retry after this long is a new request.</summary>
    public TimeSpan IdempotencyKeys { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the purge runs.</summary>
    public TimeSpan Every { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// Deletes sent outbox rows, handled inbox rows and idempotency keys past their retention, in batches, so a first purge
/// of a long-running installation does not hold the database's write lock for long.
/// </summary>
public sealed class RetentionPurge<TContext>(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<RetentionOptions> options,
    ILogger<RetentionPurge<TContext>> logger) : BackgroundService where TContext : StageDbContext
{
    private const int Batch = 2_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var purged = await PurgeAsync(stoppingToken);
                if (purged.Total > 0)
                {
                    logger.LogInformation("Purged {Outbox} sent outbox rows, {Inbox} handled inbox rows, {Keys} idempotency keys",
                        purged.Outbox, purged.Inbox, purged.Keys);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "The retention purge failed; it runs again in {Every}", options.Value.Every);
            }
            await Task.Delay(options.Value.Every, time, stoppingToken);
        }
    }

    public async Task<PurgeResult> PurgeAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var now = time.GetUtcNow();
        var messagesBefore = now - options.Value.Messages;
        var keysBefore = now - options.Value.IdempotencyKeys;
        var outbox = await InBatchesAsync(() => db.Outbox
            .Where(m => m.SentAt != null && m.SentAt < messagesBefore)
            .OrderBy(m => m.Sequence).Take(Batch).ExecuteDeleteAsync(cancellationToken));
        var inbox = await InBatchesAsync(() => db.ProcessedMessages
            .Where(m => m.ProcessedAt < messagesBefore)
            .OrderBy(m => m.ProcessedAt).Take(Batch).ExecuteDeleteAsync(cancellationToken));
        var keys = await InBatchesAsync(() => db.IdempotentRequests
            .Where(r => r.CreatedAt < keysBefore)
            .OrderBy(r => r.CreatedAt).Take(Batch).ExecuteDeleteAsync(cancellationToken));
        return new PurgeResult(outbox, inbox, keys);
    }

    private static async Task<int> InBatchesAsync(Func<Task<int>> deleteBatch)
    {
        var total = 0;
        int deleted;
        do
        {
            deleted = await deleteBatch();
            total += deleted;
        }
        while (deleted == Batch);
        return total;
    }
}

public sealed record PurgeResult(int Outbox, int Inbox, int Keys)
{
    public int Total => Outbox + Inbox + Keys;
}
