using System.Globalization;
using System.Security.Cryptography;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Funnel.AppHost;

/// <summary>The machine's PostgreSQL 15 server run as the AppHost's own database server (no container runtime needed).</summary>
public sealed class LocalPostgresResource(string name, string command, string workingDirectory, int port)
    : ExecutableResource(name, command, workingDirectory)
{
    public int Port { get; } = port;
}

internal static class LocalPostgresExtensions
{
    public const string BinPath = "/usr/lib/postgresql/15/bin";

    /// <summary>Connections per service instance; the server allows 300 (local-postgres.sh).</summary>
    private const int MaxPoolSize = 40;

    /// <summary>
    /// A server with its data under <paramref name="dataPath"/> (<c>postgres/</c>) on a free port, and for each of
    /// <paramref name="databases"/> a database and a login of the same name whose password is kept in
    /// <c>secrets/</c> (mode 0600). Returns the server and the connection string of each database.
    /// </summary>
    public static (IResourceBuilder<LocalPostgresResource> Server,
        Func<string, IResourceBuilder<IResourceWithConnectionString>> Database) AddLocalPostgres(
        this IDistributedApplicationBuilder builder, string name, string dataPath, IReadOnlyList<string> databases)
    {
        if (!File.Exists(Path.Combine(BinPath, "postgres")))
        {
            throw new InvalidOperationException(
                $"Funnel:Database is 'postgres' with no container runtime, and {BinPath}/postgres is missing: install " +
                "Debian's postgresql-15 or configure ConnectionStrings:<service>-db for a server you run.");
        }
        var secrets = Path.Combine(dataPath, "secrets", "postgres");
        Directory.CreateDirectory(secrets);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(secrets, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            // The server runs as the postgres user when the AppHost runs as root: it must pass through the data folder
            // (a test's temporary folder is 0700) to its own, without reading anything else in it.
            File.SetUnixFileMode(dataPath, File.GetUnixFileMode(dataPath) | UnixFileMode.OtherExecute);
        }
        var passwords = databases.ToDictionary(d => d, d => Password(secrets, d));
        var port = LocalPorts.Free();

        var server = new LocalPostgresResource(name, "/bin/bash", dataPath, port);
        var healthCheckKey = $"{name}-logins";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheckKey, ct => LoginsAsync(port, passwords, ct));
        var resource = builder.AddResource(server)
            .WithArgs(Path.Combine(builder.AppHostDirectory, "local-postgres.sh"))
            .WithEnvironment("PG_BIN", BinPath)
            .WithEnvironment("PG_DATA", Path.Combine(dataPath, "postgres"))
            .WithEnvironment("PG_PORT", port.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("PG_SECRETS", secrets)
            .WithEnvironment("PG_DATABASES", string.Join(' ', databases))
            .WithEndpoint(name: "tcp", port: port, targetPort: port, scheme: "tcp", isProxied: false)
            .WithHealthCheck(healthCheckKey);

        // Each service instance holds at most MaxPoolSize connections, so that every service and a replica or two fit
        // in the server's max_connections (local-postgres.sh): the default pool of 100 each exhausted it under a burst
        // of 128 contacts (the benchmark's full funnel: "too many clients already").
        return (resource, database => builder.AddConnectionString($"{database}-db", ReferenceExpression.Create(
            $"Host=127.0.0.1;Port={port.ToString(CultureInfo.InvariantCulture)};Database={database};" +
            $"Username={database};Password={passwords[database]};Maximum Pool Size={MaxPoolSize.ToString(CultureInfo.InvariantCulture)}")));
    }

    /// <summary>Healthy once every service's login gets into its database: the server is up and set up.</summary>
    private static async Task<HealthCheckResult> LoginsAsync(int port, IReadOnlyDictionary<string, string> passwords,
        CancellationToken cancellationToken)
    {
        foreach (var (database, password) in passwords)
        {
            try
            {
                await using var connection = new NpgsqlConnection(
                    $"Host=127.0.0.1;Port={port};Database={database};Username={database};Password={password};" +
                    "Timeout=3;Pooling=false");
                await connection.OpenAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy($"The '{database}' login does not get in yet.", ex);
            }
        }
        return HealthCheckResult.Healthy();
    }

    /// <summary>The database login's password: made once, kept readable by the AppHost's user only.</summary>
    private static string Password(string secrets, string database)
    {
        var file = Path.Combine(secrets, database);
        if (!File.Exists(file))
        {
            File.WriteAllText(file, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        return File.ReadAllText(file).Trim();
    }
}
