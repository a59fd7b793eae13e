using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Funnel.DevIssuer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Funnel.Testing;

/// <summary>How a run of the whole system is started.</summary>
public sealed record FunnelSystemOptions
{
    /// <summary>What the run adds to the AppHost's command line (another database, a broker cluster, replicas).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>What the run needs in its data folder before it starts (data moved in from elsewhere, say).</summary>
    public Func<string, CancellationToken, Task>? PrepareData { get; init; }

    /// <summary>The least level of the AppHost's own log that reaches the console.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Warning;

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromMinutes(4);

    /// <summary>A company's identity provider the run trusts instead of starting the development issuer.</summary>
    public TestIssuer? Issuer { get; init; }

    /// <summary>The data folder's name starts so, under the temp folder.</summary>
    public string DataFolderPrefix { get; init; } = "funnel-";
}

/// <summary>
/// The whole system as <c>scripts/run.sh</c> starts it (the real AppHost: broker, databases, five services, gateway),
/// on its own data folder and free ports, with no dashboard and no telemetry export.
/// </summary>
public sealed class FunnelSystem : IAsyncDisposable
{
    public static readonly string[] Services = ["leads", "qualification", "quoting", "orders", "pipeline"];

    private readonly List<HttpClient> _clients = [];
    // Plain clients on one pool: no logging or resilience handlers that would retry a failure away or add their cost
    // to what the benchmark measures.
    private readonly SocketsHttpHandler _connections = new() { MaxConnectionsPerServer = 256 };

    private readonly Func<IssuerKey> _signingKey;

    private FunnelSystem(DistributedApplication app, string dataPath, Func<IssuerKey> signingKey)
    {
        App = app;
        DataPath = dataPath;
        _signingKey = signingKey;
    }

    /// <summary>The running application, for what a caller needs beyond HTTP (its model, its connection strings).</summary>
    public DistributedApplication App { get; }

    /// <summary>The run's data folder: databases, the broker's nodes, the live gate files (<c>gates/</c>).</summary>
    public string DataPath { get; }

    /// <summary>The issuer whose tokens the run accepts (the development issuer's address, or the configured one).</summary>
    public string Issuer { get; private set; } = "";

    /// <summary>The issuer's current signing key, for tokens of every shape.</summary>
    public IssuerKey SigningKey => _signingKey();

    /// <summary>From building the AppHost's model to the gateway reporting healthy.</summary>
    public TimeSpan StartedIn { get; private set; }

    /// <summary>
    /// Starts the system and waits for the gateway to report healthy; if it does not, every resource that is not up
    /// is reported with its last log lines on <paramref name="report"/> before the failure is thrown.
    /// </summary>
    public static async Task<FunnelSystem> StartAsync(FunnelSystemOptions options, TextWriter report,
        CancellationToken cancellationToken)
    {
        var dataPath = Directory.CreateTempSubdirectory(options.DataFolderPrefix).FullName;
        if (options.PrepareData is not null)
        {
            await options.PrepareData(dataPath, cancellationToken);
        }
        // The development issuer signs with the key it finds in the data folder; made here, the harness signs too.
        var devKey = options.Issuer is null
            ? IssuerKey.LoadOrCreate(Path.Combine(dataPath, Funnel.AppHost.Identity.DevIssuerName, "signing-key.pem"))
            : null;
        string[] trust = options.Issuer is null
            ? []
            : [$"--Auth:Authority={options.Issuer.Authority}", "--Auth:RequireHttpsMetadata=false"];

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [$"--Funnel:DataPath={dataPath}", "--Funnel:GatewayPort=",
             // No dashboard runs here, so nothing would collect the services' telemetry (exporting costs CPU).
             "--Funnel:ExportTelemetry=false", .. trust, .. options.Arguments],
            timeout.Token);
        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(options.LogLevel)
            .AddFilter("Aspire.Hosting.Dcp", LogLevel.Error)
            // Resources report unhealthy until they listen; that is the start, not an error.
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical));
        var app = await builder.BuildAsync(timeout.Token);
        var system = new FunnelSystem(app, dataPath, devKey is null ? () => options.Issuer!.Key : () => devKey);
        try
        {
            await app.StartAsync(timeout.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", timeout.Token);
            system.Issuer = options.Issuer?.Authority
                ?? $"http://localhost:{app.GetEndpoint(Funnel.AppHost.Identity.DevIssuerName, "http").Port}";
        }
        catch (Exception)
        {
            // Say which resource did not come up and what it printed, not only that the start failed.
            await system.ReportUnhealthyAsync(report);
            await system.DisposeAsync();
            throw;
        }
        system.StartedIn = clock.Elapsed;
        return system;
    }

    /// <summary>A token the run accepts, of its issuer.</summary>
    public string Token(string user, string role, TimeSpan? lifetime = null) =>
        SigningKey.Token(Issuer, Funnel.AppHost.Identity.Audience, user, role, lifetime ?? TimeSpan.FromHours(2));

    /// <summary>A client of <paramref name="resource"/> (the gateway, or a service past it) that sends
    /// <paramref name="user"/>'s token, or none.</summary>
    public HttpClient Client(string resource, string? user, string role = "salesperson", TimeSpan? timeout = null)
    {
        var client = new HttpClient(_connections, disposeHandler: false)
        {
            BaseAddress = App.GetEndpoint(resource, "http"),
            Timeout = timeout ?? TimeSpan.FromSeconds(60),
        };
        if (user is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(user, role));
        }
        lock (_clients)
        {
            _clients.Add(client);
        }
        return client;
    }

    /// <summary>GET on the broker's management API (the single node's; a cluster's callers pick a node).</summary>
    public async Task<JsonNode> ManagementAsync(string path, CancellationToken cancellationToken) =>
        await ManagementAsync(App.GetEndpoint("messaging", "management"), path, cancellationToken);

    public static async Task<JsonNode> ManagementAsync(Uri node, string path, CancellationToken cancellationToken)
    {
        using var management = new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromSeconds(10) };
        management.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String("guest:guest"u8.ToArray()));
        // Not disposed: the values below keep pointing into the document.
        var body = JsonDocument.Parse(await management.GetStringAsync(path, cancellationToken));
        return WithoutDuplicateKeys(body.RootElement)!;
    }

    // RabbitMQ's management API can name a key twice (a quorum queue's "online" was seen twice in one CI run), and
    // JsonObject throws on a repeated key; the last value wins here, as in the management UI.
    private static JsonNode? WithoutDuplicateKeys(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Aggregate(new JsonObject(), (o, p) =>
        {
            o[p.Name] = WithoutDuplicateKeys(p.Value);
            return o;
        }),
        JsonValueKind.Array => new JsonArray([.. element.EnumerateArray().Select(WithoutDuplicateKeys)]),
        _ => JsonValue.Create(element),
    };

    /// <summary>Waits until <paramref name="resource"/> reports healthy (after a restart, say).</summary>
    public async Task WaitHealthyAsync(string resource, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, limit.Token);
    }

    /// <summary>Waits until <paramref name="resource"/> is in one of <paramref name="states"/>.</summary>
    public async Task WaitForStateAsync(string resource, TimeSpan timeout, CancellationToken cancellationToken,
        params string[] states)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        await App.ResourceNotifications.WaitForResourceAsync(resource, states, limit.Token);
    }

    /// <summary>Runs a dashboard command on a resource, or on one instance of a replicated one, by name.</summary>
    public Task<ExecuteCommandResult> ExecuteAsync(string resource, string command, CancellationToken cancellationToken) =>
        App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resource, command, cancellationToken);

    /// <summary>Each resource instance's latest state (a replica is an instance of its resource).</summary>
    public async Task<List<(string Instance, string? State, HealthStatus? Health)>> SnapshotsAsync() =>
        (await LatestEventsAsync()).Select(e => (e.ResourceId, e.Snapshot.State?.Text, e.Snapshot.HealthStatus)).ToList();

    /// <summary>The instances of <paramref name="resource"/> (a replica is one) in one of <paramref name="states"/>.</summary>
    public async Task<List<string>> InstancesAsync(string resource, params string[] states) =>
        (await LatestEventsAsync()).Where(e => e.Resource.Name == resource && states.Contains(e.Snapshot.State?.Text))
            .Select(e => e.ResourceId).ToList();

    private async Task<IReadOnlyCollection<ResourceEvent>> LatestEventsAsync()
    {
        var latest = new Dictionary<string, ResourceEvent>();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await foreach (var change in App.ResourceNotifications.WatchAsync(limit.Token))
            {
                latest[change.ResourceId] = change;
            }
        }
        catch (OperationCanceledException)
        {
            // WatchAsync gives every instance's current state first, then waits for changes.
        }
        return latest.Values;
    }

    /// <summary>What <paramref name="resource"/> has printed so far.</summary>
    public async Task<List<string>> LogLinesAsync(string resource)
    {
        var lines = new List<string>();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await foreach (var batch in App.Services.GetRequiredService<ResourceLoggerService>().GetAllAsync(resource)
                               .WithCancellation(limit.Token))
            {
                lines.AddRange(batch.Select(line => line.Content));
            }
        }
        catch (OperationCanceledException)
        {
            // Whatever arrived within the limit.
        }
        return lines;
    }

    /// <summary>Every resource that is not running and healthy, with its last log lines.</summary>
    public async Task ReportUnhealthyAsync(TextWriter report)
    {
        foreach (var (instance, state, health) in await SnapshotsAsync())
        {
            if (state == KnownResourceStates.Running && health is null or HealthStatus.Healthy)
            {
                continue;
            }
            await report.WriteLineAsync($"Resource {instance}: {state}, {health?.ToString() ?? "no health"}; its last lines:");
            foreach (var line in (await LogLinesAsync(instance)).TakeLast(40))
            {
                await report.WriteLineAsync("  " + line);
            }
        }
    }

    /// <summary>
    /// The operating-system processes of this run's <paramref name="project"/> (e.g. <c>Funnel.Qualification</c>): its
    /// binary on the command line and this run's data folder in the environment. (The orchestrator's own process id
    /// for a resource is not the service's.)
    /// </summary>
    public List<int> ServiceProcesses(string project) =>
        Processes(project, environment => environment.Contains(DataPath, StringComparison.Ordinal));

    private static List<int> Processes(string project, Func<string, bool> ours)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if ((commandLine.Contains($"/{project}\0", StringComparison.Ordinal) ||
                     commandLine.Contains($"/{project}.dll", StringComparison.Ordinal)) &&
                    ours(File.ReadAllText(Path.Combine(dir, "environ"))))
                {
                    found.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended meanwhile, or is not ours.
            }
        }
        return found;
    }

    /// <summary>Peak resident memory (VmHWM) of each process of this run's services and gateway; replicas count
    /// separately.</summary>
    public Dictionary<string, List<long>> PeakResidentBytes() => Memory("VmHWM:");

    /// <summary>The resident memory of each service's processes now (VmRSS), in bytes.</summary>
    public Dictionary<string, List<long>> ResidentBytes() => Memory("VmRSS:");

    /// <summary>
    /// The proportional set size of each service's processes now (Pss): its own pages plus its share of the pages it
    /// shares, such as the runtime's files mapped by all six processes.
    /// </summary>
    public Dictionary<string, List<long>> ProportionalBytes() => Memory("Pss:", "smaps_rollup");

    private Dictionary<string, List<long>> Memory(string field, string file = "status")
    {
        var peaks = new Dictionary<string, List<long>>();
        foreach (var (name, project) in Services.Select(s => (s, $"Funnel.{char.ToUpperInvariant(s[0])}{s[1..]}"))
                     .Append(("gateway", "Funnel.Gateway")))
        {
            // The gateway's environment does not name the data folder: its process is the one of that binary (the
            // benchmark runs alone on the machine).
            foreach (var pid in name == "gateway" ? Processes(project, _ => true) : ServiceProcesses(project))
            {
                try
                {
                    var hwm = File.ReadLines($"/proc/{pid}/{file}").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
                    if (hwm is not null && long.TryParse(hwm.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out var kb))
                    {
                        (peaks.TryGetValue(name, out var list) ? list : peaks[name] = []).Add(kb * 1024);
                    }
                }
                catch (IOException)
                {
                    // The process ended while it was read.
                }
            }
        }
        return peaks;
    }

    public async ValueTask DisposeAsync()
    {
        lock (_clients)
        {
            _clients.ForEach(c => c.Dispose());
        }
        _connections.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await App.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Disposing below ends what did not stop in time.
        }
        await App.DisposeAsync();
        try
        {
            Directory.Delete(DataPath, recursive: true);
        }
        catch (IOException)
        {
            // A process that outlived the stop still holds a file; the folder is under the temp directory.
        }
    }
}
