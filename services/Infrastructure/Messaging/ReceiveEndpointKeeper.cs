using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using MassTransit;
using MassTransit.Middleware;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Funnel.Infrastructure.Messaging;

/// <summary>
/// Connects the stage's receive endpoints and replaces one that stops consuming. MassTransit reconnects a faulted
/// endpoint with a back-off that grows over the endpoint's whole life and never resets after a good reconnect, so after
/// a few broker restarts an endpoint waits about 30 s between attempts and can miss the broker for minutes while
/// publishing already works again; and after a broker restart an endpoint has been seen reporting itself ready with no
/// consumer on its queue (docs/RELIABILITY.md). An endpoint counts as consuming only when MassTransit says it is healthy
/// AND the broker counts a consumer on its queue. A replaced endpoint starts its back-off afresh.
/// </summary>
public sealed class ReceiveEndpointKeeper(
    IBusControl bus,
    IReceiveEndpointConnector connector,
    StageConsumers consumers,
    QueueConsumers queues,
    Redelivery redelivery,
    IOptions<MessagingOptions> messaging,
    IMeterFactory meters,
    TimeProvider time,
    ILogger<ReceiveEndpointKeeper> logger) : BackgroundService
{
    /// <summary>How often the depth of each <c>_error</c> queue is read for the metric.</summary>
    private const int ErrorDepthEveryTicks = 10;

    private readonly ConcurrentDictionary<string, long> _errorDepths = new();

    /// <summary>How long an endpoint may go without consuming before it is replaced.</summary>
    public static readonly TimeSpan NotConsumingFor = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var endpoints = consumers.Endpoints.Select(endpoint => new Kept(endpoint, Connect(endpoint))).ToList();
        // Ops see a message stranded for good before anyone asks where a contact went.
        meters.Create(Redelivery.MeterName).CreateObservableGauge("funnel.messaging.error_queue.messages",
            () => _errorDepths.Select(d => new Measurement<long>(d.Value, new KeyValuePair<string, object?>("queue", d.Key))),
            "{message}", "Messages in a consumer's _error queue: failed after every redelivery, waiting for a replay.");
        using var timer = new PeriodicTimer(CheckEvery, time);
        var ticks = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var health = bus.CheckHealth().Endpoints;
                foreach (var kept in endpoints)
                {
                    await KeepAsync(kept, health, stoppingToken);
                }
                if (ticks++ % ErrorDepthEveryTicks == 0)
                {
                    foreach (var kept in endpoints)
                    {
                        _errorDepths[kept.Endpoint.Queue] =
                            await queues.DepthAsync($"{kept.Endpoint.Queue}_error", stoppingToken) ?? 0;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The bus stops its endpoints itself.
        }
    }

    private async Task KeepAsync(Kept kept, IReadOnlyDictionary<string, EndpointHealthResult> health, CancellationToken stoppingToken)
    {
        var known = health.TryGetValue(kept.Handle.ReceiveEndpoint.InputAddress.ToString(), out var state);
        // The broker is asked only about an endpoint MassTransit calls healthy: one it reports faulted is not
        // consuming whatever the broker says, and during an outage each ask would wait for a connection timeout.
        var consumers = known && state.Status == BusHealthStatus.Healthy
            ? await queues.CountAsync(kept.Endpoint.Queue, stoppingToken)
            : null;
        if (consumers > 0)
        {
            kept.NotConsumingSince = null;
            return;
        }
        var now = time.GetUtcNow();
        kept.NotConsumingSince ??= now;
        if (now - kept.NotConsumingSince < NotConsumingFor)
        {
            return;
        }

        logger.LogWarning("Receive endpoint {Queue} has not been consuming since {Since} (MassTransit: {State}; " +
            "consumers on the queue: {Consumers}); replacing it so it reconnects at once.",
            kept.Endpoint.Queue, kept.NotConsumingSince, known ? state.Description : "unknown", consumers?.ToString() ?? "not known");
        try
        {
            using var stopWithin = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            stopWithin.CancelAfter(TimeSpan.FromSeconds(5));
            await kept.Handle.StopAsync(stopWithin.Token);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Receive endpoint {Queue} did not stop cleanly; connecting its replacement anyway.",
                kept.Endpoint.Queue);
        }
        kept.Handle = Connect(kept.Endpoint);
        kept.NotConsumingSince = null;
    }

    private HostReceiveEndpointHandle Connect(StageConsumers.Endpoint endpoint) =>
        connector.ConnectReceiveEndpoint(endpoint.Queue, (context, configurator) =>
        {
            // Transient faults (a busy database, a lost connection) get retried at once, then redelivered over
            // minutes by the broker; only what fails after that goes to the consumer's _error queue with its exception.
            configurator.UseMessageRetry(retry => retry.Intervals(100, 500, 1_000, 5_000));
            configurator.ConfigureError(error =>
            {
                error.UseFilter(new RedeliveryFilter(redelivery));
                error.UseFilter(new GenerateFaultFilter());
                error.UseFilter(new ErrorTransportFilter());
            });
            if (messaging.Value.QuorumQueues && configurator is IRabbitMqReceiveEndpointConfigurator rabbit)
            {
                rabbit.SetQuorumQueue();
            }
            configurator.ConfigureConsumer(context, endpoint.Consumer);
        });

    private sealed class Kept(StageConsumers.Endpoint endpoint, HostReceiveEndpointHandle handle)
    {
        public StageConsumers.Endpoint Endpoint { get; } = endpoint;
        public HostReceiveEndpointHandle Handle { get; set; } = handle;
        public DateTimeOffset? NotConsumingSince { get; set; }
    }
}
