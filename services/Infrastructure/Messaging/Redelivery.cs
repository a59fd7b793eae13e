using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Funnel.Infrastructure.Messaging;

/// <summary>
/// Redelivers a message whose consumer still fails after the immediate retries, after the growing waits of
/// <see cref="MessagingOptions.Redelivery"/>, so a database outage of minutes strands nothing in <c>_error</c>. The
/// broker holds each wait: the message sits in a queue of its own whose time-to-live dead-letters it back to the
/// consumer's queue (RabbitMQ 3.10 has no delayed-message plugin, and a scheduler in the process would lose what it
/// holds on a crash). The failed delivery is acknowledged only after the broker confirmed the copy, so a crash in
/// between means a second delivery, which the consumers' inbox makes harmless.
/// </summary>
public sealed class Redelivery : IAsyncDisposable
{
    public const string MeterName = "Funnel.Messaging";

    /// <summary>The transport header that counts a message's redeliveries.</summary>
    public const string CountHeader = "x-funnel-redeliveries";

    private static readonly TimeSpan ConnectWithin = TimeSpan.FromSeconds(5);

    private readonly IOptions<MessagingOptions> _options;
    private readonly ILogger<Redelivery> _logger;
    private readonly Counter<long> _redelivered;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _declared = [];
    private readonly BrokerChannel _channel;

    public Redelivery(BrokerAddress broker, IOptions<MessagingOptions> options, string serviceName,
        IMeterFactory meters, ILogger<Redelivery> logger)
    {
        _options = options;
        _logger = logger;
        // Publisher confirmations: a failed delivery is acknowledged only once the broker holds its copy.
        _channel = new BrokerChannel(broker, $"{serviceName}-redelivery", ConnectWithin,
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        _redelivered = meters.Create(MeterName).CreateCounter<long>("funnel.messaging.redelivered", "{message}",
            "Messages whose consumer failed, handed to a redelivery queue to be tried again later.");
    }

    /// <summary>True when the message now waits in its redelivery queue; false when its redeliveries are used up.</summary>
    public async Task<bool> TryRedeliverAsync(ExceptionReceiveContext context)
    {
        var waits = _options.Value.Redelivery;
        var count = context.TransportHeaders.TryGetHeader(CountHeader, out var value) && value is not null
            ? Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)
            : 0;
        if (count >= waits.Count || !context.TryGetPayload(out RabbitMqBasicConsumeContext? delivered))
        {
            return false;
        }
        var queue = QueueOf(context.InputAddress);
        var wait = waits[count];
        var waitQueue = $"{queue}_redelivery_{(long)wait.TotalSeconds}s";
        var original = delivered!.Properties;
        var properties = Resent(original, redeliveries: count + 1);

        await _gate.WaitAsync(context.CancellationToken);
        try
        {
            var channel = await _channel.GetAsync(context.CancellationToken);
            if (_declared.Add(waitQueue))
            {
                await channel.QueueDeclareAsync(waitQueue, durable: true, exclusive: false, autoDelete: false,
                    arguments: WaitArguments(queue, wait), cancellationToken: context.CancellationToken);
            }
            // Confirmed by the broker before this returns (publisher confirmations are on for the channel).
            await channel.BasicPublishAsync("", waitQueue, mandatory: true, properties, context.Body.GetBytes(),
                context.CancellationToken);
        }
        catch
        {
            _declared.Clear();
            await _channel.ResetAsync();
            throw;
        }
        finally
        {
            _gate.Release();
        }
        _redelivered.Add(1, new KeyValuePair<string, object?>("queue", queue));
        _logger.LogWarning(context.Exception, "Message {MessageId} on {Queue} failed; redelivery {Count} of {Of} in {Wait}.",
            original.MessageId, queue, count + 1, waits.Count, wait);
        return true;
    }

    /// <summary>Moves every message of <paramref name="queue"/>'s <c>_error</c> queue back to it; returns how many.</summary>
    public async Task<int> ReplayErrorsAsync(string queue, CancellationToken cancellationToken)
    {
        var moved = 0;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var channel = await _channel.GetAsync(cancellationToken);
            while (await channel.BasicGetAsync($"{queue}_error", autoAck: false, cancellationToken) is { } failed)
            {
                // A replayed message starts its redeliveries afresh.
                await channel.BasicPublishAsync("", queue, mandatory: true, Resent(failed.BasicProperties, redeliveries: null),
                    failed.Body, cancellationToken);
                await channel.BasicAckAsync(failed.DeliveryTag, multiple: false, cancellationToken);
                moved++;
            }
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException) when (moved == 0)
        {
            // No _error queue: nothing ever failed for good.
            _declared.Clear();
            await _channel.ResetAsync();
        }
        finally
        {
            _gate.Release();
        }
        return moved;
    }

    /// <summary>
    /// Drops every message about <paramref name="contactId"/> from <paramref name="queue"/>'s <c>_error</c> queue and
    /// its redelivery queues (an erasure): each message there is taken once, and sent back unless it is about the
    /// contact (a message back in a redelivery queue waits its time again). Returns how many were dropped.
    /// </summary>
    public async Task<int> DropAboutAsync(string queue, Guid contactId, CancellationToken cancellationToken)
    {
        var contact = System.Text.Encoding.UTF8.GetBytes(contactId.ToString());
        var dropped = 0;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var holding = new List<string> { $"{queue}_error" };
            holding.AddRange(_options.Value.Redelivery.Select(wait => $"{queue}_redelivery_{(long)wait.TotalSeconds}s"));
            foreach (var held in holding)
            {
                var channel = await _channel.GetAsync(cancellationToken);
                uint waiting;
                try
                {
                    waiting = (await channel.QueueDeclarePassiveAsync(held, cancellationToken)).MessageCount;
                }
                catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
                {
                    // No such queue: nothing of this kind ever waited here. The failed declare closed the channel.
                    _declared.Clear();
                    await _channel.ResetAsync();
                    continue;
                }
                for (var taken = 0; taken < waiting; taken++)
                {
                    if (await channel.BasicGetAsync(held, autoAck: false, cancellationToken) is not { } message)
                    {
                        break;
                    }
                    if (message.Body.Span.IndexOf(contact) >= 0)
                    {
                        dropped++;
                    }
                    else
                    {
                        await channel.BasicPublishAsync("", held, mandatory: true, Resent(message.BasicProperties,
                            redeliveries: null, keepCount: true), message.Body, cancellationToken);
                    }
                    await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
        return dropped;
    }

    /// <summary>The delivered message's properties for sending it again, persistent, with its redelivery count.</summary>
    private static BasicProperties Resent(IReadOnlyBasicProperties original, int? redeliveries, bool keepCount = false)
    {
        var headers = original.Headers is null
            ? new Dictionary<string, object?>()
            : new Dictionary<string, object?>(original.Headers);
        if (redeliveries is { } count)
        {
            headers[CountHeader] = count;
        }
        else if (!keepCount)
        {
            headers.Remove(CountHeader);
        }
        return new BasicProperties
        {
            ContentType = original.ContentType,
            MessageId = original.MessageId,
            CorrelationId = original.CorrelationId,
            Type = original.Type,
            Persistent = true,
            Headers = headers,
        };
    }

    private Dictionary<string, object?> WaitArguments(string queue, TimeSpan wait)
    {
        var arguments = new Dictionary<string, object?>
        {
            ["x-message-ttl"] = (long)wait.TotalMilliseconds,
            ["x-dead-letter-exchange"] = "",
            ["x-dead-letter-routing-key"] = queue,
        };
        if (_options.Value.QuorumQueues)
        {
            arguments["x-queue-type"] = "quorum";
        }
        return arguments;
    }

    private static string QueueOf(Uri inputAddress) => inputAddress.Segments[^1].Trim('/');

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        _gate.Dispose();
    }
}

/// <summary>First in a receive endpoint's error pipe: a failed message is redelivered later while it has waits left.</summary>
public sealed class RedeliveryFilter(Redelivery redelivery) : IFilter<ExceptionReceiveContext>
{
    public async Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        if (!await redelivery.TryRedeliverAsync(context))
        {
            await next.Send(context);
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("funnel-redelivery");
}
