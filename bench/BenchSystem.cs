using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Funnel.Testing;
using Microsoft.Extensions.Logging;

namespace Funnel.Bench;

/// <summary>What the benchmark adds to the shared harness: its progress display, and the broker's figures.</summary>
internal static class BenchSystem
{
    public static async Task<FunnelSystem> StartAsync(int qualificationReplicas, string database,
        CancellationToken cancellationToken)
    {
        using var progress = Progress.Start($"start ({qualificationReplicas} qualification)", null, () => "waiting for the gateway");
        return await FunnelSystem.StartAsync(new FunnelSystemOptions
        {
            DataFolderPrefix = "funnel-bench-",
            Arguments = [$"--Funnel:Replicas:qualification={qualificationReplicas}", $"--Funnel:Database={database}"],
            // Only errors: the resources' own logs would bury the progress display.
            LogLevel = LogLevel.Error,
        }, Console.Error, cancellationToken);
    }

    /// <summary>A client of the gateway that acts as <paramref name="user"/>.</summary>
    public static HttpClient Gateway(this FunnelSystem system, string user, string role = "salesperson") =>
        system.Client("gateway", user, role, TimeSpan.FromSeconds(30));

    /// <summary>A client straight to a service, past the gateway (the services check the same tokens).</summary>
    public static HttpClient Service(this FunnelSystem system, string name, string user, string role = "manager") =>
        system.Client(name, user, role, TimeSpan.FromSeconds(30));

    public static async Task<string> BrokerConnectionStringAsync(this FunnelSystem system, CancellationToken cancellationToken) =>
        await system.App.GetConnectionStringAsync("messaging", cancellationToken)
        ?? throw new InvalidOperationException("The messaging resource has no connection string.");

    /// <summary>Messages published to the broker so far (RabbitMQ management API; the broker refreshes it each second).</summary>
    public static async Task<long> BrokerPublishedAsync(this FunnelSystem system, CancellationToken cancellationToken)
    {
        var overview = await system.ManagementAsync("/api/overview", cancellationToken);
        return overview["message_stats"]?["publish"]?.GetValue<long>() ?? 0;
    }

    /// <summary>
    /// Waits until every queue is empty (what the load set off has been consumed, Pipeline's read model included), so
    /// that one measure does not pay for the last one's backlog; returns how long that took.
    /// </summary>
    public static async Task<TimeSpan> SettleAsync(this FunnelSystem system, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        long queued = 0;
        using var progress = Progress.Start("settle: queues draining", null, () => $"{queued:N0} messages queued");
        var quietSince = TimeSpan.Zero;
        while (clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            var queues = (await system.ManagementAsync("/api/queues", cancellationToken)).AsArray();
            queued = queues.Sum(q => q?["messages"]?.GetValue<long>() ?? 0);
            if (queued > 0)
            {
                quietSince = clock.Elapsed;
            }
            else if (clock.Elapsed - quietSince >= TimeSpan.FromSeconds(2))
            {
                // Empty over two refreshes of the broker's statistics.
                return quietSince;
            }
            await Task.Delay(250, cancellationToken);
        }
        return clock.Elapsed;
    }
}
