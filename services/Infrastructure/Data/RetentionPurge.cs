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

    /// <summary>
    /// A finished job's record and its per-row answers (an import's outcomes): they can be read this long after it
    /// finished; without a limit they would grow with every import (100,000 rows each for a large one).
    /// </summary>
    public TimeSpan FinishedJobs { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the purge runs.</summary>
    public TimeSpan Every { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// Deletes sent outbox rows, handled inbox rows, idempotency keys and the stage's finished jobs
/// (<see cref="StageDbContext.PurgeFinishedJobsAsync"/>) past their retention, in batches, so a first purge of a
/// long-running installation does not hold the database's write lock for long.
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
                    logger.LogInformation(
                        "Purged {Outbox} sent outbox rows, {Inbox} handled inbox rows, {Keys} idempotency keys, {Jobs} finished jobs' rows",
                        purged.Outbox, purged.Inbox, purged.Keys, purged.FinishedJobs);
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
        var jobsBefore = now - options.Value.FinishedJobs;
        var jobs = await InBatchesAsync(() => db.PurgeFinishedJobsAsync(jobsBefore, Batch, cancellationToken));
        return new PurgeResult(outbox, inbox, keys, jobs);
    }

    /// <summary>Runs <paramref name="deleteBatch"/> until a batch comes back short.</summary>
    internal static async Task<int> InBatchesAsync(Func<Task<int>> deleteBatch)
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

public sealed record PurgeResult(int Outbox, int Inbox, int Keys, int FinishedJobs)
{
    public int Total => Outbox + Inbox + Keys + FinishedJobs;
}
