using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Funnel.AppHost;

/// <summary>The Debian <c>rabbitmq-server</c> run as the AppHost's own broker, for machines with no container runtime.</summary>
internal sealed class LocalRabbitMQResource(string name, string command, string workingDirectory, int amqpPort)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public int AmqpPort { get; } = amqpPort;

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
        this IDistributedApplicationBuilder builder, string name, string dataPath)
    {
        if (!File.Exists(ServerPath))
        {
            throw new InvalidOperationException(
                $"No container runtime answers and {ServerPath} is missing: install it with " +
                "'apt-get install -y rabbitmq-server' (scripts/run.sh does this).");
        }

        var home = Path.Combine(dataPath, "rabbitmq");
        Directory.CreateDirectory(home);
        var picked = new HashSet<int>();
        var amqpPort = LocalPorts.Free(picked);
        var distPort = LocalPorts.Free(picked);
        var managementPort = LocalPorts.Free(picked);
        var configFile = Path.Combine(home, "rabbitmq.conf");
        File.WriteAllText(configFile,
            $"""
             management.tcp.ip = 127.0.0.1
             management.tcp.port = {managementPort}
             collect_statistics_interval = 1000
             """);
        var pluginsFile = Path.Combine(home, "enabled_plugins");
        File.WriteAllText(pluginsFile, "[rabbitmq_management].");

        var broker = new LocalRabbitMQResource(name, ServerPath, home, amqpPort);
        var healthCheckKey = $"{name}-amqp";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheckKey, ct => AmqpHandshakeAsync(amqpPort, ct));

        return builder.AddResource(broker)
            .WithEnvironment("HOME", home)
            // One node per data folder: runs side by side do not clash in epmd, and a run's queues survive restarts.
            .WithEnvironment("RABBITMQ_NODENAME", $"{name}-{NodeSuffix(dataPath)}@localhost")
            .WithEnvironment("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1")
            .WithEnvironment("RABBITMQ_NODE_PORT", amqpPort.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("RABBITMQ_DIST_PORT", distPort.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("RABBITMQ_MNESIA_BASE", Path.Combine(home, "mnesia"))
            .WithEnvironment("RABBITMQ_LOG_BASE", Path.Combine(home, "log"))
            .WithEnvironment("RABBITMQ_LOGS", "-")
            .WithEnvironment("RABBITMQ_PID_FILE", Path.Combine(home, "rabbitmq.pid"))
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

    private static string NodeSuffix(string dataPath) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(dataPath))))[..8];
}
