using RabbitMQ.Client;

namespace Funnel.Infrastructure.Messaging;

/// <summary>
/// Asks the broker how many consumers a queue has (a passive declare on a small connection of its own), so that
/// <see cref="ReceiveEndpointKeeper"/> does not rely on MassTransit's view alone: after a broker restart an endpoint has
/// been seen reporting itself ready with no consumer on its queue (docs/RELIABILITY.md).
/// </summary>
public sealed class QueueConsumers(string connectionString, string serviceName) : IAsyncDisposable
{
    private static readonly TimeSpan AskWithin = TimeSpan.FromSeconds(3);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private IChannel? _channel;

    /// <summary>The queue's consumers, or null when the broker cannot say (unreachable, or no such queue).</summary>
    public async Task<uint?> CountAsync(string queue, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        using var within = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        within.CancelAfter(AskWithin);
        try
        {
            var channel = await ChannelAsync(within.Token);
            return (await channel.QueueDeclarePassiveAsync(queue, within.Token)).ConsumerCount;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A missing queue closes the channel and a lost broker the connection: start afresh on the next ask.
            await CloseAsync();
            return null;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IChannel> ChannelAsync(CancellationToken cancellationToken)
    {
        if (_channel is { IsOpen: true })
        {
            return _channel;
        }
        await CloseAsync();
        var factory = new ConnectionFactory
        {
            Uri = new Uri(connectionString),
            ClientProvidedName = $"{serviceName}-keeper",
            AutomaticRecoveryEnabled = false,
            RequestedConnectionTimeout = AskWithin,
        };
        _connection = await factory.CreateConnectionAsync(cancellationToken);
        _channel = await _connection.CreateChannelAsync(cancellationToken: cancellationToken);
        return _channel;
    }

    private async Task CloseAsync()
    {
        foreach (var part in new IAsyncDisposable?[] { _channel, _connection })
        {
            try
            {
                if (part is not null)
                {
                    await part.DisposeAsync();
                }
            }
            catch (Exception)
            {
                // Already broken; nothing to hand back.
            }
        }
        (_channel, _connection) = (null, null);
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        _gate.Dispose();
    }
}
