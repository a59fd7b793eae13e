using System.Diagnostics;
using System.Diagnostics.Metrics;
using Funnel.Infrastructure.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Funnel.Infrastructure.Messaging;

/// <summary>
/// Publishes committed outbox rows, a batch at a time in the order they were written, and marks them sent. A row is
/// claimed before it is published, by a conditional update, so that two replicas never publish it at once; a claim
/// lapses after <see cref="ClaimFor"/>, so rows a crashed relay had claimed (or published but not marked) go out
/// again. A batch is marked sent in one update after its publishes; consumers are idempotent by EventId, which makes
/// a second send after a crash harmless.
/// </summary>
public sealed class OutboxRelay<TContext>(
    IServiceScopeFactory scopes,
    IBus bus,
    OutboxSignal signal,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    IOptions<OutboxOptions> options,
    IMeterFactory meters,
    ILogger<OutboxRelay<TContext>> logger) : BackgroundService where TContext : StageDbContext
{
    private static readonly ActivitySource Source = new("Funnel.Outbox");
    private static readonly TimeSpan MeasureBacklogEvery = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PublishWithin = TimeSpan.FromSeconds(10);
    private (long Rows, double OldestSeconds) _backlog;
    private DateTimeOffset _backlogMeasuredAt = DateTimeOffset.MinValue;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ClaimFor = TimeSpan.FromSeconds(30);
    private const int BatchSize = 100;

    private readonly string _relayId = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The bus starts with the host; publishing before that would wait on a connection that is not there yet.
        await WhenStarted(stoppingToken);
        // A stalled relay shows as a growing backlog and an aging oldest event, before anyone asks for a contact.
        var meter = meters.Create("Funnel.Outbox");
        meter.CreateObservableGauge("funnel.outbox.backlog", () => _backlog.Rows, "{event}",
            "Events committed but not yet published.");
        meter.CreateObservableGauge("funnel.outbox.oldest_unsent_age", () => _backlog.OldestSeconds, "s",
            "How long the oldest unpublished event has waited.");
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await MeasureBacklogAsync(stoppingToken);
                if (await RelayBatchAsync(stoppingToken) == BatchSize)
                {
                    continue;
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Outbox relay failed; the rows stay queued and are retried.");
            }

            try
            {
                await signal.WaitAsync(PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task MeasureBacklogAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now - _backlogMeasuredAt < MeasureBacklogEvery)
        {
            return;
        }
        _backlogMeasuredAt = now;
        await using var scope = scopes.CreateAsyncScope();
        var unsent = scope.ServiceProvider.GetRequiredService<TContext>().Outbox.Where(m => m.SentAt == null);
        var rows = await unsent.LongCountAsync(cancellationToken);
        var oldest = rows == 0 ? null : await unsent.OrderBy(m => m.Sequence).Select(m => (DateTimeOffset?)m.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        _backlog = (rows, oldest is { } at ? Math.Max(0, (now - at).TotalSeconds) : 0);
    }

    /// <summary>Claims, publishes and marks one batch; returns how many rows it sent.</summary>
    public async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var now = time.GetUtcNow();
        var claimedUntil = now + ClaimFor;

        var candidates = await db.Outbox
            .Where(m => m.SentAt == null && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .OrderBy(m => m.Sequence)
            .Select(m => m.Sequence)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        if (candidates.Count == 0)
        {
            return 0;
        }

        // Only rows still unclaimed at this instant become ours; a competing replica's update wins the rest.
        using (await db.WriterTurnAsync(cancellationToken))
        {
            await db.Outbox
                .Where(m => candidates.Contains(m.Sequence) && m.SentAt == null &&
                            (m.ClaimedUntil == null || m.ClaimedUntil < now))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.ClaimedBy, _relayId)
                    .SetProperty(m => m.ClaimedUntil, claimedUntil), cancellationToken);
        }

        var claimed = await db.Outbox.AsNoTracking()
            .Where(m => candidates.Contains(m.Sequence) && m.ClaimedBy == _relayId && m.SentAt == null)
            .OrderBy(m => m.Sequence)
            .ToListAsync(cancellationToken);

        // The batch goes out concurrently (the broker confirms each publish); nothing downstream relies on the order
        // within a batch: hand-offs are per contact and Pipeline folds by when events happened.
        var published = new List<long>(claimed.Count);
        try
        {
            await Task.WhenAll(claimed.Select(async row =>
            {
                await PublishAsync(row, cancellationToken);
                lock (published)
                {
                    published.Add(row.Sequence);
                }
            }));
        }
        finally
        {
            // Mark what went out, and hand back what did not (a broker fault) so it goes out on the next round
            // instead of after the claim lapses. Not cancelled: a stop must not leave published rows unmarked.
            using var turn = await db.WriterTurnAsync(CancellationToken.None);
            if (published.Count > 0)
            {
                await db.Outbox.Where(m => published.Contains(m.Sequence)).ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.SentAt, time.GetUtcNow())
                    .SetProperty(m => m.ClaimedUntil, (DateTimeOffset?)null), CancellationToken.None);
            }
            if (published.Count < claimed.Count)
            {
                var unsent = claimed.Select(m => m.Sequence).Except(published).ToList();
                await db.Outbox.Where(m => unsent.Contains(m.Sequence) && m.ClaimedBy == _relayId)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedUntil, (DateTimeOffset?)null), CancellationToken.None);
            }
        }
        return claimed.Count;
    }

    private async Task PublishAsync(OutboxMessage row, CancellationToken cancellationToken)
    {
        // Continue the trace of the request that wrote the event, so a hand-off reads as one trace.
        ActivityContext.TryParse(row.TraceParent, null, out var parent);
        using var activity = Source.StartActivity("outbox publish", ActivityKind.Internal, parent);
        activity?.SetTag("funnel.event_type", row.Type);
        activity?.SetTag("funnel.event_id", row.EventId);

        var message = row.Deserialize();
        await PublishBoundedAsync(message, row.EventId, cancellationToken);
        if (options.Value.DeliverEveryMessageTwice)
        {
            await PublishBoundedAsync(message, row.EventId, cancellationToken);
        }
    }

    /// <summary>
    /// A publish whose broker confirm does not come within <see cref="PublishWithin"/> counts as not sent: its row is
    /// handed back and sent again in the next round, so a lost broker node cannot hold the relay (and every later event
    /// of the service). The wait is bounded here, not only by the token: MassTransit does not observe the caller's token
    /// at every step (a publish waited 43 s past a 10 s token after a broker node was killed, docs/RELIABILITY.md).
    /// Should the late publish still go through, the event goes out twice, which consumers ignore.
    /// </summary>
    private Task PublishBoundedAsync(object message, Guid eventId, CancellationToken cancellationToken) =>
        bus.Publish(message, message.GetType(), context => context.MessageId = eventId, cancellationToken)
            .WaitAsync(PublishWithin, time, cancellationToken);

    private Task WhenStarted(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        stoppingToken.Register(() => started.TrySetCanceled());
        return started.Task;
    }
}

/// <summary>Section <c>Outbox</c>.</summary>
public sealed class OutboxOptions
{
    /// <summary>
    /// Fault injection for tests: publish every message twice, as at-least-once delivery may, to prove that no
    /// consumer has a second effect. Off in any real run.
    /// </summary>
    public bool DeliverEveryMessageTwice { get; set; }
}
