using MassTransit;
using RabbitMQ.Client;

namespace Funnel.Infrastructure.Messaging;

/// <summary>
/// The broker as configured (<c>ConnectionStrings:messaging</c>): one AMQP URI, or the nodes of a cluster separated by
/// commas (<c>amqp://user:pass@node1:5672,node2:5672,node3:5672</c>; the first gives the user and virtual host).
/// Every connection may go to any node, and moves to another when its node goes.
/// </summary>
public sealed class BrokerAddress
{
    public BrokerAddress(string connectionString)
    {
        var parts = connectionString.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            throw new InvalidOperationException("ConnectionStrings:messaging names no broker.");
        }
        Primary = new Uri(parts[0]);
        Nodes = parts.Select(p => p.Contains("://", StringComparison.Ordinal) ? new Uri(p) : new Uri($"amqp://{p}"))
            .Select(uri => new AmqpTcpEndpoint(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? 5672 : uri.Port))
            .ToList();
    }

    public Uri Primary { get; }

    public IReadOnlyList<AmqpTcpEndpoint> Nodes { get; }

    /// <summary>The bus's host; its connection carries the service's name, so the broker's views say whose it is.</summary>
    public void Configure(IRabbitMqBusFactoryConfigurator rabbit, string serviceName) => rabbit.Host(Primary, host =>
    {
        host.ConnectionName(serviceName);
        if (Nodes.Count > 1)
        {
            host.UseCluster(cluster =>
            {
                foreach (var node in Nodes)
                {
                    cluster.Node($"{node.HostName}:{node.Port}");
                }
            });
        }
    });

    /// <summary>A plain client connection (no automatic recovery: its owner starts afresh when it breaks).</summary>
    public Task<IConnection> ConnectAsync(string clientName, TimeSpan timeout, CancellationToken cancellationToken) =>
        new ConnectionFactory
        {
            Uri = Primary,
            ClientProvidedName = clientName,
            AutomaticRecoveryEnabled = false,
            RequestedConnectionTimeout = timeout,
        }.CreateConnectionAsync(Nodes.ToList(), cancellationToken);
}

/// <summary>Section <c>Messaging</c>.</summary>
public sealed class MessagingOptions
{
    /// <summary>
    /// Consumer queues (and their redelivery queues) as quorum queues, replicated over a cluster's nodes; on by
    /// default where the AppHost runs a cluster. An existing classic queue cannot change type in place.
    /// </summary>
    public bool QuorumQueues { get; set; }

    /// <summary>
    /// How long a message that still fails after the immediate retries waits before each redelivery; after the last
    /// it goes to the consumer's <c>_error</c> queue.
    /// </summary>
    public List<TimeSpan> Redelivery { get; set; } =
        [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2),
         TimeSpan.FromMinutes(5)];
}

/// <summary>
/// A channel on a plain client connection of its own (the keeper's probe, the redelivery), opened on first use and
/// opened afresh after it broke: its owner calls <see cref="ResetAsync"/> when an operation on it failed.
/// </summary>
public sealed class BrokerChannel(BrokerAddress broker, string clientName, TimeSpan timeout,
    CreateChannelOptions? options = null) : IAsyncDisposable
{
    private IConnection? _connection;
    private IChannel? _channel;

    public async Task<IChannel> GetAsync(CancellationToken cancellationToken)
    {
        if (_channel is { IsOpen: true })
        {
            return _channel;
        }
        await ResetAsync();
        _connection = await broker.ConnectAsync(clientName, timeout, cancellationToken);
        _channel = await _connection.CreateChannelAsync(options, cancellationToken);
        return _channel;
    }

    public async Task ResetAsync()
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

    public ValueTask DisposeAsync() => new(ResetAsync());
}
