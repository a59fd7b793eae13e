using Aspire.Hosting;
using Funnel.Testing;

[assembly: AssemblyFixture(typeof(Funnel.EndToEndTests.FunnelApp))]

namespace Funnel.EndToEndTests;

/// <summary>
/// The whole system, started once for all end-to-end tests (through the harness the benchmark shares): the real
/// AppHost with its broker, databases, services and gateway, on its own data folder and free ports.
/// </summary>
public class FunnelApp : IAsyncLifetime
{
    private FunnelSystem? _system;

    /// <summary>What this system adds to the AppHost's command line (another database, a broker cluster, replicas).</summary>
    protected virtual IEnumerable<string> Arguments => [];

    /// <summary>What a system needs in its data folder before it starts (data moved in from elsewhere, say).</summary>
    protected virtual Task PrepareDataAsync(string dataPath, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A company's identity provider this system trusts, instead of the development issuer.</summary>
    protected virtual TestIssuer? Issuer => null;

    public FunnelSystem System => _system!;

    /// <summary>The running application, for what a test needs beyond HTTP (its model, its connection strings).</summary>
    public DistributedApplication App => System.App;

    /// <summary>The gateway, as a manager (who sees every contact).</summary>
    public HttpClient Gateway { get; private set; } = null!;

    /// <summary>The run's data folder: SQLite files, the broker's node, and the live gate files (<c>gates/</c>).</summary>
    public string DataPath => System.DataPath;

    public async ValueTask InitializeAsync()
    {
        _system = await FunnelSystem.StartAsync(new FunnelSystemOptions
        {
            DataFolderPrefix = "funnel-e2e-",
            // Every message is delivered twice in the whole suite: no test may see a second effect.
            Arguments = ["--Funnel:DeliverEveryMessageTwice=true", .. Arguments],
            PrepareData = PrepareDataAsync,
            Issuer = Issuer,
        }, Console.Error, TestContext.Current.CancellationToken);
        Gateway = GatewayAs("e2e-manager", "manager");
    }

    /// <summary>A token the run accepts, of its issuer.</summary>
    public string Token(string user, string role, TimeSpan? lifetime = null) => System.Token(user, role, lifetime);

    /// <summary>A client of the gateway that sends <paramref name="user"/>'s token, or none.</summary>
    public HttpClient GatewayAs(string? user, string role = "salesperson") => System.Client("gateway", user, role);

    /// <summary>A client straight to a service, past the gateway, with no token.</summary>
    public HttpClient Service(string name) => System.Client(name, user: null);

    /// <summary>Waits until <paramref name="resource"/> reports healthy (after a restart, say).</summary>
    public Task WaitHealthyAsync(string resource, TimeSpan timeout) =>
        System.WaitHealthyAsync(resource, timeout, TestContext.Current.CancellationToken);

    /// <summary>Runs a command on one instance of a replicated resource; its state, not the answer, decides.</summary>
    public async Task CommandInstanceAsync(string instance, string command)
    {
        var result = await System.ExecuteAsync(instance, command, TestContext.Current.CancellationToken);
        TestContext.Current.TestOutputHelper?.WriteLine($"{instance} {command}: {(result.Success ? "done" : result.Message)}");
    }

    /// <summary>Runs a resource's dashboard command, as an operator would click it.</summary>
    public async Task RunCommandAsync(string resource, string command)
    {
        var result = await System.ExecuteAsync(resource, command, TestContext.Current.CancellationToken);
        Assert.True(result.Success, $"{resource} {command}: {result.Message}");
    }

    /// <summary>
    /// Stops, starts or restarts a resource and waits for the state that follows. The command gives up after about
    /// 15 s, which a loaded 2-core machine can exceed while the orchestrator still completes the change, so the state,
    /// not the command's answer, decides.
    /// </summary>
    public async Task ChangeStateAsync(string resource, string command, params string[] reached)
    {
        var result = await System.ExecuteAsync(resource, command, TestContext.Current.CancellationToken);
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

    /// <summary>Each resource instance's latest state (a replica is an instance of its resource).</summary>
    public Task<List<(string Instance, string? State, Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus? Health)>>
        SnapshotsAsync() => System.SnapshotsAsync();

    /// <summary>The operating-system processes of this run's <paramref name="project"/> (e.g. <c>Funnel.Qualification</c>).</summary>
    public List<int> ServiceProcesses(string project) => System.ServiceProcesses(project);

    /// <summary>The instances of <paramref name="resource"/> (a replica is one) in one of <paramref name="states"/>.</summary>
    public Task<List<string>> InstancesAsync(string resource, params string[] states) =>
        System.InstancesAsync(resource, states);

    public Task<List<string>> LogLinesAsync(string resource) => System.LogLinesAsync(resource);

    /// <summary>Waits until <paramref name="resource"/> is in one of <paramref name="states"/>.</summary>
    public Task WaitForStateAsync(string resource, TimeSpan timeout, params string[] states) =>
        System.WaitForStateAsync(resource, timeout, TestContext.Current.CancellationToken, states);

    public virtual async ValueTask DisposeAsync()
    {
        if (_system is not null)
        {
            await _system.DisposeAsync();
        }
    }
}

/// <summary>
/// A second, fresh system for the tests that stop services and the broker: they must not be slowed by what the
/// other tests left running, and must not leave the shared system half-stopped if the orchestrator stumbles.
/// </summary>
public sealed class IsolatedFunnelApp : FunnelApp;
