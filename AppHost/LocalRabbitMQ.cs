using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Funnel.AppHost;

/// <summary>The Debian <c>rabbitmq-server</c> run as the AppHost's own broker, for machines with no container runtime.</summary>
public sealed class LocalRabbitMQResource(string name, string command, string workingDirectory, int amqpPort)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public int AmqpPort { get; } = amqpPort;

    /// <summary>The Erlang node name (<c>name-hash@localhost</c>), what the cluster and the management API call it.</summary>
    public required string NodeName { get; init; }

    /// <summary>Where the node writes its operating-system process id (the fault tests kill it by that).</summary>
    public required string PidFile { get; init; }

    public required int ManagementPort { get; init; }

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"amqp://guest:guest@127.0.0.1:{AmqpPort.ToString(CultureInfo.InvariantCulture)}");
}

internal static class LocalRabbitMQExtensions
{
    public const string ServerPath = "/usr/lib/rabbitmq/bin/rabbitmq-server";

    /// <summary>
    /// A private broker node with its own ports and data under <paramref name="dataPath"/>, the management UI on.
    /// Ports are picked free at each start, so several runs (and test runs) live side by side.
    /// </summary>
    public static IResourceBuilder<LocalRabbitMQResource> AddLocalRabbitMQ(
        this IDistributedApplicationBuilder builder, string name, string dataPath) =>
        builder.AddNode(name, dataPath, cookie: null, seed: null);

    /// <summary>
    /// A cluster of three local nodes (<c>{name}-1</c> to <c>-3</c>) sharing one Erlang cookie. Nodes 2 and 3 list
    /// node 1 as their only peer, so a fresh cluster always forms around it; restarted nodes find each other from
    /// their stored state. The connection string names all three, so clients move to another node when theirs goes.
    /// </summary>
    public static (IResourceBuilder<IResourceWithConnectionString> Messaging,
        IReadOnlyList<IResourceBuilder<LocalRabbitMQResource>> Nodes) AddLocalRabbitMQCluster(
        this IDistributedApplicationBuilder builder, string name, string dataPath)
    {
        var cookie = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
        var seed = builder.AddNode($"{name}-1", dataPath, cookie, seed: null);
        var nodes = new List<IResourceBuilder<LocalRabbitMQResource>> { seed };
        for (var i = 2; i <= 3; i++)
        {
            // Started with the seed, not after it is healthy: a restarted cluster's nodes wait for each other.
            nodes.Add(builder.AddNode($"{name}-{i}", dataPath, cookie, seed.Resource).WaitForStart(seed));
        }
        var hosts = string.Join(",", nodes.Select(n => $"amqp://guest:guest@127.0.0.1:" +
            n.Resource.AmqpPort.ToString(CultureInfo.InvariantCulture)));
        return (builder.AddConnectionString(name, ReferenceExpression.Create($"{hosts}")), nodes);
    }

    private static IResourceBuilder<LocalRabbitMQResource> AddNode(this IDistributedApplicationBuilder builder,
        string name, string dataPath, string? cookie, LocalRabbitMQResource? seed)
    {
        if (!File.Exists(ServerPath))
        {
            throw new InvalidOperationException(
                $"No container runtime answers and {ServerPath} is missing: install it with " +
                "'apt-get install -y rabbitmq-server' (scripts/run.sh does this).");
        }

        // A single node keeps the folder it always had, so an installation's queues survive the upgrade.
        var home = cookie is null ? Path.Combine(dataPath, "rabbitmq") : Path.Combine(dataPath, "rabbitmq", name);
        Directory.CreateDirectory(home);
        var picked = new HashSet<int>();
        var amqpPort = LocalPorts.Free(picked);
        var distPort = LocalPorts.Free(picked);
        var managementPort = LocalPorts.Free(picked);
        var nodeName = NodeName(name, dataPath);
        var configFile = Path.Combine(home, "rabbitmq.conf");
        var config = $"""
             management.tcp.ip = 127.0.0.1
             management.tcp.port = {managementPort}
             collect_statistics_interval = 1000
             """;
        if (seed is not null)
        {
            // A fresh node joins the seed; it retries for a minute while the seed boots.
            config += $"""

                cluster_formation.peer_discovery_backend = classic_config
                cluster_formation.classic_config.nodes.1 = {seed.NodeName}
                cluster_formation.discovery_retry_limit = 60
                cluster_formation.discovery_retry_interval = 1000
                """;
        }
        File.WriteAllText(configFile, config);
        var pluginsFile = Path.Combine(home, "enabled_plugins");
        File.WriteAllText(pluginsFile, "[rabbitmq_management].");
        if (cookie is not null && !OperatingSystem.IsWindows())
        {
            // Nodes of one cluster must share the cookie; the Erlang runtime refuses one others can read.
            var cookieFile = Path.Combine(home, ".erlang.cookie");
            if (File.Exists(cookieFile))
            {
                File.SetUnixFileMode(cookieFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            File.WriteAllText(cookieFile, cookie);
            File.SetUnixFileMode(cookieFile, UnixFileMode.UserRead);
        }

        var broker = new LocalRabbitMQResource(name, ServerPath, home, amqpPort)
        {
            NodeName = nodeName,
            PidFile = Path.Combine(home, "rabbitmq.pid"),
            ManagementPort = managementPort,
        };
        var healthCheckKey = $"{name}-amqp";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheckKey, ct => AmqpHandshakeAsync(amqpPort, ct));

        return builder.AddResource(broker)
            .WithEnvironment("HOME", home)
            // One node per data folder: runs side by side do not clash in epmd, and a run's queues survive restarts.
            .WithEnvironment("RABBITMQ_NODENAME", nodeName)
            .WithEnvironment("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1")
            .WithEnvironment("RABBITMQ_NODE_PORT", amqpPort.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("RABBITMQ_DIST_PORT", distPort.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("RABBITMQ_MNESIA_BASE", Path.Combine(home, "mnesia"))
            .WithEnvironment("RABBITMQ_LOG_BASE", Path.Combine(home, "log"))
            .WithEnvironment("RABBITMQ_LOGS", "-")
            .WithEnvironment("RABBITMQ_PID_FILE", broker.PidFile)
            .WithEnvironment("RABBITMQ_ENABLED_PLUGINS_FILE", pluginsFile)
            .WithEnvironment("RABBITMQ_CONFIG_FILE", configFile)
            // Not proxied: a proxy would accept connections before the broker does.
            .WithEndpoint(name: "amqp", port: amqpPort, targetPort: amqpPort, scheme: "amqp", isProxied: false)
            .WithHttpEndpoint(name: "management", port: managementPort, targetPort: managementPort, isProxied: false)
            .WithUrlForEndpoint("management", url => url.DisplayText = "Management UI (guest/guest)")
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>Healthy when the broker answers an AMQP 0-9-1 protocol header with its Connection.Start method frame.</summary>
    private static async Task<HealthCheckResult> AmqpHandshakeAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("AMQP\0\0\x09\x01"u8.ToArray(), timeout.Token);
            var frame = new byte[7];
            var read = await stream.ReadAtLeastAsync(frame, frame.Length, throwOnEndOfStream: false, timeout.Token);
            const byte methodFrame = 1;
            return read == frame.Length && frame[0] == methodFrame
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The broker did not answer the AMQP handshake.");
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or IOException)
        {
            return HealthCheckResult.Unhealthy($"The broker does not accept AMQP on port {port} yet.", ex);
        }
    }

    private static string NodeName(string name, string dataPath) =>
        $"{name}-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(dataPath))))[..8] + "@localhost";
}
