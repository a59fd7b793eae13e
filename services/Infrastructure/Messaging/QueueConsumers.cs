using RabbitMQ.Client;

namespace Funnel.Infrastructure.Messaging;

/// <summary>
/// Asks the broker how many consumers a queue has (a passive declare on a small connection of its own), so that
/// <see cref="ReceiveEndpointKeeper"/> does not rely on MassTransit's view alone: after a broker restart an endpoint has
/// been seen reporting itself ready with no consumer on its queue (docs/RELIABILITY.md).
/// </summary>
public sealed class QueueConsumers(BrokerAddress broker, string serviceName) : IAsyncDisposable
{
    private static readonly TimeSpan AskWithin = TimeSpan.FromSeconds(3);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly BrokerChannel _channel = new(broker, $"{serviceName}-keeper", AskWithin);

    /// <summary>The queue's consumers, or null when the broker cannot say (unreachable, or no such queue).</summary>
    public async Task<uint?> CountAsync(string queue, CancellationToken cancellationToken) =>
        (await DeclarePassiveAsync(queue, cancellationToken))?.ConsumerCount;

    /// <summary>The messages waiting in the queue, or null when the broker cannot say.</summary>
    public async Task<uint?> DepthAsync(string queue, CancellationToken cancellationToken) =>
        (await DeclarePassiveAsync(queue, cancellationToken))?.MessageCount;

    private async Task<QueueDeclareOk?> DeclarePassiveAsync(string queue, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        using var within = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        within.CancelAfter(AskWithin);
        try
        {
            var channel = await _channel.GetAsync(within.Token);
            return await channel.QueueDeclarePassiveAsync(queue, within.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A missing queue closes the channel and a lost broker the connection: start afresh on the next ask.
            await _channel.ResetAsync();
            return null;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        _gate.Dispose();
    }
}
