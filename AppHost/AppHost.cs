using Funnel.AppHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

var builder = DistributedApplication.CreateBuilder(args);

// Publishing describes a deployment: connection strings and parameters supplied there, nothing of this machine.
var publishing = builder.ExecutionContext.IsPublishMode;

// Data that must survive restarts (SQLite files, the local servers' data) lives here; tests pass their own folder.
var dataPath = Path.GetFullPath(builder.Configuration["Funnel:DataPath"]
    ?? Path.Combine(builder.AppHostDirectory, "..", ".data"));
if (!publishing)
{
    Directory.CreateDirectory(dataPath);
}

// Tokens: the gateway and every service trust one OpenID Connect issuer (a configured one, else the local run's own).
var identity = Identity.Add(builder, dataPath, publishing);

// Decide before building the model: a container resource without a runtime hangs the start silently.
var containerCli = publishing ? null : ContainerRuntime.Answering(builder.Configuration);
var containers = containerCli is not null;

// Broker: a configured connection string (several nodes separated by commas), else a RabbitMQ container, else the
// local Debian rabbitmq-server: one node, or with Funnel:Broker=cluster three nodes with quorum queues.
var cluster = builder.Configuration["Funnel:Broker"] == "cluster";
var quorumQueues = builder.Configuration.GetValue("Funnel:QuorumQueues", cluster);
IReadOnlyList<IResourceBuilder<LocalRabbitMQResource>> brokerNodes = [];
IResourceBuilder<IResourceWithConnectionString> messaging;
if (publishing || builder.Configuration.GetConnectionString("messaging") is { Length: > 0 })
{
    messaging = builder.AddConnectionString("messaging");
}
else if (containers)
{
    messaging = builder.AddRabbitMQ("messaging").WithManagementPlugin().WithDataVolume("funnel-rabbitmq-data");
}
else if (cluster)
{
    (messaging, brokerNodes) = builder.AddLocalRabbitMQCluster("messaging", dataPath);
}
else
{
    var node = builder.AddLocalRabbitMQ("messaging", dataPath);
    messaging = node;
    brokerNodes = [node];
}

// Databases: Funnel:Database names the provider (sqlite, the embedded default; postgres; sqlserver). Configured
// connection strings (ConnectionStrings:<service>-db) win; else a container where a runtime works; else PostgreSQL is
// the machine's own server run here, and SQLite a file per service. SQL Server needs a container or a connection string.
string[] stages = ["leads", "qualification", "quoting", "orders", "pipeline"];
var databasesConfigured = publishing || builder.Configuration.GetConnectionString("leads-db") is { Length: > 0 };
var databaseProvider = builder.Configuration["Funnel:Database"] ?? (databasesConfigured ? "postgres" : "sqlite");
IResourceBuilder<LocalPostgresResource>? localPostgres = null;
Func<string, IResourceBuilder<IResourceWithConnectionString>> database = databaseProvider switch
{
    _ when databasesConfigured => name => builder.AddConnectionString($"{name}-db"),
    "sqlite" => name => builder.AddConnectionString($"{name}-db",
        ReferenceExpression.Create($"Data Source={Path.Combine(dataPath, name + "-db.db")}")),
    "postgres" when containers => PostgresContainer.Add(builder),
    "postgres" => LocalPostgres(),
    "sqlserver" when containers => SqlServerContainer.Add(builder, dataPath),
    _ => throw new InvalidOperationException(
        $"Funnel:Database '{databaseProvider}' cannot run here: use sqlite or postgres, or configure " +
        "ConnectionStrings:<service>-db for sqlserver (a SQL Server container needs a container runtime)."),
};

Func<string, IResourceBuilder<IResourceWithConnectionString>> LocalPostgres()
{
    var (server, perService) = builder.AddLocalPostgres("postgres", dataPath, stages);
    localPostgres = server;
    return perService;
}

// Runs without the dashboard (the tests, the benchmark) pass Funnel:ExportTelemetry=false: nothing collects there, and
// exporters retrying into nothing every second cost CPU and held up every stop by over 12 s while they flushed.
var exportTelemetry = builder.Configuration.GetValue("Funnel:ExportTelemetry", true);

IResourceBuilder<ProjectResource> Stage<TProject>(string name) where TProject : IProjectMetadata, new()
{
    var stageDatabase = database(name);
    // Services listen on ports Aspire picks; only the gateway is meant to be reached from outside. They stay behind
    // the orchestrator's proxy, which spreads requests across replicas and lets the stop and start commands work
    // (without it a stopped service was left in state Unknown); BENCHMARKS.md has what the proxy costs.
    var stage = builder.AddProject<TProject>(name, options => options.ExcludeLaunchProfile = true)
        .WithHttpEndpoint(name: "http")
        .WithReplicas(builder.Configuration.GetValue($"Funnel:Replicas:{name}", 1))
        .WithReference(messaging).WaitFor(messaging)
        .WithReference(stageDatabase).WaitFor(stageDatabase)
        .WithEnvironment("Database__Provider", databaseProvider)
        .WithEnvironment("Messaging__QuorumQueues", quorumQueues.ToString())
        // SQLite commits survive a crash of the service, not a power loss, unless Funnel:SqliteSynchronous=Full
        // syncs every commit (services/Infrastructure/Data/SqliteTuning.cs holds the default).
        .WithEnvironment(context =>
        {
            if (builder.Configuration["Funnel:SqliteSynchronous"] is { Length: > 0 } synchronous)
            {
                context.EnvironmentVariables["Database__Sqlite__Synchronous"] = synchronous;
            }
        })
        .WithTelemetryExport(exportTelemetry)
        .WithHttpHealthCheck("/health");
    identity.Trust(stage);
    if (localPostgres is not null)
    {
        stage.WaitFor(localPostgres);
    }
    foreach (var node in brokerNodes)
    {
        stage.WaitFor(node);
    }
    if (publishing)
    {
        // A deployment gives the gate in its own configuration (deploy/kubernetes mounts it as a file).
        return stage;
    }
    if (identity.DevIssuerUrl is { } issuerUrl)
    {
        stage.WithOperatorCommand("/admin/errors/replay", "Replay failed messages", "replay-failed-messages", issuerUrl);
    }
    return stage
        // Operators change a live gate by writing this file (services/Infrastructure/Gates/GateExtensions.cs).
        .WithEnvironment("Gate__File", Path.Combine(dataPath, "gates", $"{name}.json"))
        // Fault injection for the end-to-end tests: every message published twice (OutboxOptions).
        .WithEnvironment("Outbox__DeliverEveryMessageTwice",
            builder.Configuration.GetValue<bool>("Funnel:DeliverEveryMessageTwice").ToString());
}

var leads = Stage<Projects.Leads>("leads");
var qualification = Stage<Projects.Qualification>("qualification");
var quoting = Stage<Projects.Quoting>("quoting");
var orders = Stage<Projects.Orders>("orders");
var pipeline = Stage<Projects.Pipeline>("pipeline");
if (identity.DevIssuerUrl is { } operatorIssuer)
{
    // Replays Pipeline's stored events into a fresh read model (services/Pipeline/Features/RebuildReadModel).
    pipeline.WithOperatorCommand("/admin/rebuild", "Rebuild read model", "rebuild-read-model", operatorIssuer);
}

var gateway = builder.AddProject<Projects.Gateway>("gateway", options => options.ExcludeLaunchProfile = true)
    // The public entry listens itself, not behind the orchestrator's proxy.
    .WithHttpEndpoint(port: builder.Configuration.GetValue<int?>("Funnel:GatewayPort"), name: "http", isProxied: false)
    .WithExternalHttpEndpoints()
    .WithTelemetryExport(exportTelemetry)
    .WithHttpHealthCheck("/health");
identity.Trust(gateway);
foreach (var service in new[] { leads, qualification, quoting, orders, pipeline })
{
    gateway.WithReference(service).WaitFor(service);
}

builder.Eventing.Subscribe<ResourceReadyEvent>(gateway.Resource, (_, _) =>
{
    Console.WriteLine($"""

        Funnel is up.
          gateway:   {gateway.GetEndpoint("http").Url}   (API docs: {gateway.GetEndpoint("http").Url}/scalar)
          data:      {dataPath}   (databases: {databaseProvider})
          dashboard: the 'Login to the dashboard at' link above
        """);
    return Task.CompletedTask;
});

if (containerCli is not null)
{
    ContainerRuntime.EnsureCanRun(builder, containerCli);
}

builder.Build().Run();

internal static class OperatorCommands
{
    /// <summary>
    /// A dashboard command that posts to <paramref name="path"/> as a manager, with a token of the development issuer
    /// (with a company's provider, operators call the route with their own token).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithOperatorCommand(this IResourceBuilder<ProjectResource> project,
        string path, string displayName, string commandName, string devIssuerUrl) =>
        project.WithHttpCommand(path, displayName, commandName: commandName, commandOptions: new HttpCommandOptions
        {
            PrepareRequest = async context => context.Request.Headers.Authorization =
                new("Bearer", await Identity.OperatorTokenAsync(devIssuerUrl, context.CancellationToken)),
        });
}

internal static class TelemetrySettings
{
    /// <summary>
    /// Aspire points every project at the dashboard's collector; without one, the services export nothing, and with
    /// <c>Funnel:OtlpEndpoint</c> they export there (OTLP over HTTP: a collector of your own, or a test's receiver).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTelemetryExport(
        this IResourceBuilder<ProjectResource> project, bool export) =>
        project.ApplicationBuilder.Configuration["Funnel:OtlpEndpoint"] is { Length: > 0 } collector
            ? project.WithEnvironment(context =>
            {
                context.EnvironmentVariables["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector;
                context.EnvironmentVariables["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
                context.EnvironmentVariables["OTEL_METRIC_EXPORT_INTERVAL"] = "2000";
                context.EnvironmentVariables["OTEL_BSP_SCHEDULE_DELAY"] = "1000";
            })
            : export
                ? project
                : project.WithEnvironment(context => context.EnvironmentVariables.Remove("OTEL_EXPORTER_OTLP_ENDPOINT"));
}
