using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Funnel.Bench;

/// <summary>
/// The whole system as <c>scripts/run.sh</c> starts it (the real AppHost: broker, SQLite databases, five services,
/// gateway), on its own data folder and free ports, with the dashboard off.
/// </summary>
internal sealed class FunnelSystem : IAsyncDisposable
{
    public static readonly string[] Services = ["leads", "qualification", "quoting", "orders", "pipeline"];

    private readonly DistributedApplication _app;
    private readonly string _dataPath;
    private readonly string _signingKey;
    private readonly List<HttpClient> _clients = [];
    private readonly SocketsHttpHandler _connections = new() { MaxConnectionsPerServer = 256 };

    private FunnelSystem(DistributedApplication app, string dataPath, string signingKey, TimeSpan startedIn)
    {
        _app = app;
        _dataPath = dataPath;
        _signingKey = signingKey;
        StartedIn = startedIn;
    }

    /// <summary>From building the AppHost's model to the gateway reporting healthy.</summary>
    public TimeSpan StartedIn { get; }

    public static async Task<FunnelSystem> StartAsync(int qualificationReplicas, string database,
        CancellationToken cancellationToken)
    {
        var dataPath = Directory.CreateTempSubdirectory("funnel-bench-").FullName;
        var signingKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await File.WriteAllTextAsync(Path.Combine(dataPath, "jwt-signing-key"), signingKey, cancellationToken);

        var clock = Stopwatch.StartNew();
        using var progress = Progress.Start($"start ({qualificationReplicas} qualification)", null, () => "waiting for the gateway");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(4));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [$"--Funnel:DataPath={dataPath}", "--Funnel:GatewayPort=",
             $"--Funnel:Replicas:qualification={qualificationReplicas}", $"--Funnel:Database={database}",
             // No dashboard runs here, so nothing would collect the services' telemetry (exporting costs CPU).
             "--Funnel:ExportTelemetry=false",
             // Only errors: the resources' own logs would bury the progress display.
             "--Logging:LogLevel:Default=Error", "--Logging:LogLevel:Aspire.Hosting.Dcp=Critical",
             // Resources report unhealthy until they listen; that is the start, not an error.
             "--Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks=Critical"], timeout.Token);
        var app = await builder.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", timeout.Token);
        return new FunnelSystem(app, dataPath, signingKey, clock.Elapsed);
    }

    /// <summary>A client of the gateway that acts as <paramref name="user"/>.</summary>
    public HttpClient Gateway(string user, string role = "salesperson") => Client("gateway", user, role);

    /// <summary>A client straight to a service, past the gateway (the services check the same tokens).</summary>
    public HttpClient Service(string name, string user, string role = "manager") => Client(name, user, role);

    private HttpClient Client(string resource, string user, string role)
    {
        // A plain client on one shared connection pool: no logging or resilience handlers that would retry a failure
        // away or add their own cost to what is measured.
        var client = new HttpClient(_connections, disposeHandler: false)
        {
            BaseAddress = _app.GetEndpoint(resource, "http"),
            Timeout = TimeSpan.FromSeconds(30),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            Funnel.AppHost.Tokens.Create(_signingKey, user, role, TimeSpan.FromHours(2)));
        _clients.Add(client);
        return client;
    }

    public async Task<string> BrokerConnectionStringAsync(CancellationToken cancellationToken) =>
        await _app.GetConnectionStringAsync("messaging", cancellationToken)
        ?? throw new InvalidOperationException("The messaging resource has no connection string.");

    /// <summary>Messages published to the broker so far (RabbitMQ management API; the broker refreshes it each second).</summary>
    public async Task<long> BrokerPublishedAsync(CancellationToken cancellationToken)
    {
        var overview = await ManagementAsync("/api/overview", cancellationToken);
        return overview["message_stats"]?["publish"]?.GetValue<long>() ?? 0;
    }

    /// <summary>
    /// Waits until every queue is empty (what the load set off has been consumed, Pipeline's read model included), so
    /// that one measure does not pay for the last one's backlog; returns how long that took.
    /// </summary>
    public async Task<TimeSpan> SettleAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        long queued = 0;
        using var progress = Progress.Start("settle: queues draining", null, () => $"{queued:N0} messages queued");
        var quietSince = TimeSpan.Zero;
        while (clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            var queues = (await ManagementAsync("/api/queues", cancellationToken)).AsArray();
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

    private async Task<JsonNode> ManagementAsync(string path, CancellationToken cancellationToken)
    {
        using var management = new HttpClient { BaseAddress = _app.GetEndpoint("messaging", "management") };
        management.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String("guest:guest"u8.ToArray()));
        return JsonNode.Parse(await management.GetStringAsync(path, cancellationToken))!;
    }

    /// <summary>
    /// Peak resident memory (VmHWM) of each running service process, keyed by service; replicas count separately.
    /// The processes are found by their build output folder, which only the service process itself runs from.
    /// </summary>
    public static Dictionary<string, List<long>> PeakResidentBytes()
    {
        var peaks = new Dictionary<string, List<long>>();
        var folders = Services.Select(s => (Name: s, Folder: $"/services/{char.ToUpperInvariant(s[0])}{s[1..]}/bin/"))
            .Append((Name: "gateway", Folder: "/gateway/bin/")).ToList();
        foreach (var process in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(process, "cmdline")).Replace('\0', ' ');
                var service = folders.FirstOrDefault(f => commandLine.Contains(f.Folder, StringComparison.Ordinal));
                if (service.Name is null)
                {
                    continue;
                }
                var hwm = File.ReadLines(Path.Combine(process, "status")).FirstOrDefault(l => l.StartsWith("VmHWM:"));
                if (hwm is not null && long.TryParse(hwm.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out var kb))
                {
                    (peaks.TryGetValue(service.Name, out var list) ? list : peaks[service.Name] = []).Add(kb * 1024);
                }
            }
            catch (IOException)
            {
                // The process ended while it was read.
            }
        }
        return peaks;
    }

    public async ValueTask DisposeAsync()
    {
        _clients.ForEach(c => c.Dispose());
        _connections.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Disposing below ends what did not stop in time.
        }
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_dataPath, recursive: true);
        }
        catch (IOException)
        {
            // A process that outlived the stop still holds a file; the folder is under the temp directory.
        }
    }
}
