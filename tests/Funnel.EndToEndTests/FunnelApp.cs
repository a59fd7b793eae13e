using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

[assembly: AssemblyFixture(typeof(Funnel.EndToEndTests.FunnelApp))]

namespace Funnel.EndToEndTests;

/// <summary>
/// The whole system, started once for all end-to-end tests: the real AppHost with its broker, databases, services and
/// gateway, on its own data folder and free ports.
/// </summary>
public class FunnelApp : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private readonly string _dataPath = Directory.CreateTempSubdirectory("funnel-e2e-").FullName;
    private readonly string _signingKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private readonly List<HttpClient> _clients = [];
    private DistributedApplication? _app;

    /// <summary>What this system adds to the AppHost's command line (another database, a broker cluster, replicas).</summary>
    protected virtual IEnumerable<string> Arguments => [];

    /// <summary>The running application, for what a test needs beyond HTTP (its model, its connection strings).</summary>
    public DistributedApplication App => _app!;

    /// <summary>The gateway, as a manager (who sees every contact).</summary>
    public HttpClient Gateway { get; private set; } = null!;

    /// <summary>The run's data folder: SQLite files, the broker's node, and the live gate files (<c>gates/</c>).</summary>
    public string DataPath => _dataPath;

    /// <summary>What a system needs in its data folder before it starts (data moved in from elsewhere, say).</summary>
    protected virtual Task PrepareDataAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask InitializeAsync()
    {
        await PrepareDataAsync(TestContext.Current.CancellationToken);
        using var timeout = new CancellationTokenSource(StartTimeout);
        // The AppHost signs and checks tokens with the key it finds in its data folder.
        await File.WriteAllTextAsync(Path.Combine(_dataPath, "jwt-signing-key"), _signingKey, timeout.Token);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            // Every message is delivered twice in the whole suite: no test may see a second effect.
            [$"--Funnel:DataPath={_dataPath}", "--Funnel:GatewayPort=", "--Funnel:DeliverEveryMessageTwice=true",
             // No dashboard runs in tests, so nothing would collect the services' telemetry.
             "--Funnel:ExportTelemetry=false", ..Arguments],
            timeout.Token);
        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Aspire.Hosting.Dcp", LogLevel.Error));

        _app = await builder.BuildAsync(timeout.Token);
        try
        {
            await _app.StartAsync(timeout.Token);
            await _app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", timeout.Token);
        }
        catch (Exception) when (_app is not null)
        {
            // Say which resource did not come up and what it printed, not only that the start failed.
            await ReportUnhealthyAsync();
            throw;
        }

        Gateway = GatewayAs("e2e-manager", "manager");
    }

    /// <summary>The run's signing key, for tests that forge tokens of every shape.</summary>
    public string SigningKey => _signingKey;

    /// <summary>A token the run accepts, signed with its key.</summary>
    public string Token(string user, string role, TimeSpan? lifetime = null) =>
        Funnel.AppHost.Tokens.Create(_signingKey, user, role, lifetime ?? TimeSpan.FromHours(2));

    /// <summary>A client of the gateway that sends <paramref name="user"/>'s token, or none.</summary>
    public HttpClient GatewayAs(string? user, string role = "salesperson")
    {
        var client = _app!.CreateHttpClient("gateway");
        client.Timeout = TimeSpan.FromSeconds(60);
        if (user is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", Token(user, role));
        }
        _clients.Add(client);
        return client;
    }

    /// <summary>A client straight to a service, past the gateway.</summary>
    public HttpClient Service(string name)
    {
        var client = _app!.CreateHttpClient(name);
        _clients.Add(client);
        return client;
    }

    /// <summary>Waits until <paramref name="resource"/> reports healthy (after a restart, say).</summary>
    public async Task WaitHealthyAsync(string resource, TimeSpan timeout)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(timeout);
        await _app!.ResourceNotifications.WaitForResourceHealthyAsync(resource, limit.Token);
    }

    /// <summary>Runs a command on one instance of a replicated resource; its state, not the answer, decides.</summary>
    public async Task CommandInstanceAsync(string instance, string command)
    {
        var result = await ExecuteAsync(instance, command);
        TestContext.Current.TestOutputHelper?.WriteLine($"{instance} {command}: {(result.Success ? "done" : result.Message)}");
    }

    /// <summary>Runs a resource's dashboard command, as an operator would click it.</summary>
    public async Task RunCommandAsync(string resource, string command)
    {
        var result = await ExecuteAsync(resource, command);
        Assert.True(result.Success, $"{resource} {command}: {result.Message}");
    }

    /// <summary>
    /// Stops, starts or restarts a resource and waits for the state that follows. The command gives up after about
    /// 15 s, which a loaded 2-core machine can exceed while the orchestrator still completes the change, so the state,
    /// not the command's answer, decides.
    /// </summary>
    public async Task ChangeStateAsync(string resource, string command, params string[] reached)
    {
        var result = await ExecuteAsync(resource, command);
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"{resource} {command}: {(result.Success ? "done" : result.Message)}");
        try
        {
            await WaitForStateAsync(resource, TimeSpan.FromMinutes(2), reached);
        }
        catch (OperationCanceledException) when (output is not null)
        {
            // What the resource printed while it failed to change is what tells why.
            output.WriteLine($"{resource}'s last log lines:");
            foreach (var line in (await LogLinesAsync(resource)).TakeLast(60))
            {
                output.WriteLine(line);
            }
            throw;
        }
    }

    /// <summary>Every resource that is not running and healthy, with its last log lines, on the console.</summary>
    private async Task ReportUnhealthyAsync()
    {
        foreach (var (instance, state, health) in await SnapshotsAsync())
        {
            if (state == KnownResourceStates.Running && health is null or Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy)
            {
                continue;
            }
            Console.Error.WriteLine($"Resource {instance}: {state}, {health?.ToString() ?? "no health"}; its last lines:");
            foreach (var line in (await LogLinesAsync(instance)).TakeLast(40))
            {
                Console.Error.WriteLine("  " + line);
            }
        }
    }

    /// <summary>Each resource instance's latest state (a replica is an instance of its resource).</summary>
    public async Task<List<(string Instance, string? State, Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus? Health)>>
        SnapshotsAsync() =>
        (await LatestEventsAsync()).Select(e => (e.ResourceId, e.Snapshot.State?.Text, e.Snapshot.HealthStatus)).ToList();

    /// <summary>
    /// The operating-system processes of this run's <paramref name="project"/> (e.g. <c>Funnel.Qualification</c>): its
    /// binary on the command line and this run's data folder in the environment. (The orchestrator's own process id
    /// for a resource is not the service's.)
    /// </summary>
    public List<int> ServiceProcesses(string project)
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
                if (commandLine.Contains($"/{project}\0", StringComparison.Ordinal) ||
                    commandLine.Contains($"/{project}.dll", StringComparison.Ordinal))
                {
                    if (File.ReadAllText(Path.Combine(dir, "environ")).Contains(_dataPath, StringComparison.Ordinal))
                    {
                        found.Add(pid);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended meanwhile, or is not ours.
            }
        }
        return found;
    }

    /// <summary>The instances of <paramref name="resource"/> (a replica is one) in one of <paramref name="states"/>.</summary>
    public async Task<List<string>> InstancesAsync(string resource, params string[] states) =>
        (await LatestEventsAsync()).Where(e => e.Resource.Name == resource && states.Contains(e.Snapshot.State?.Text))
            .Select(e => e.ResourceId).ToList();

    /// <summary>The latest event of every resource instance.</summary>
    private async Task<IReadOnlyCollection<ResourceEvent>> LatestEventsAsync()
    {
        var latest = new Dictionary<string, ResourceEvent>();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await foreach (var change in _app!.ResourceNotifications.WatchAsync(limit.Token))
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

    public async Task<List<string>> LogLinesAsync(string resource)
    {
        var lines = new List<string>();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await foreach (var batch in _app!.Services.GetRequiredService<ResourceLoggerService>().GetAllAsync(resource)
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

    private Task<ExecuteCommandResult> ExecuteAsync(string resource, string command)
    {
        // By name: a resource, or one instance of a replicated one.
        return _app!.Services.GetRequiredService<ResourceCommandService>()
            .ExecuteCommandAsync(resource, command, TestContext.Current.CancellationToken);
    }

    /// <summary>Waits until <paramref name="resource"/> is in one of <paramref name="states"/>.</summary>
    public async Task WaitForStateAsync(string resource, TimeSpan timeout, params string[] states)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(timeout);
        await _app!.ResourceNotifications.WaitForResourceAsync(resource, states, limit.Token);
    }

    public virtual async ValueTask DisposeAsync()
    {
        _clients.ForEach(client => client.Dispose());
        if (_app is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await _app.StopAsync(timeout.Token);
            await _app.DisposeAsync();
        }
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

/// <summary>
/// A second, fresh system for the tests that stop services and the broker: they must not be slowed by what the
/// other tests left running, and must not leave the shared system half-stopped if the orchestrator stumbles.
/// </summary>
public sealed class IsolatedFunnelApp : FunnelApp;
