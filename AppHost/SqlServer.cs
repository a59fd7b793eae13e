using System.Security.Cryptography;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace Funnel.AppHost;

/// <summary>
/// SQL Server as a plain container (Aspire.Hosting.SqlServer is not in this NuGet copy). Each service gets its own
/// database on it; EF Core migrations create the database on first start.
/// </summary>
internal static class SqlServerContainer
{
    public static Func<string, IResourceBuilder<IResourceWithConnectionString>> Add(
        IDistributedApplicationBuilder builder, string dataPath)
    {
        var password = builder.AddParameter("sql-password", SaPassword(builder, dataPath), secret: true);
        var server = builder.AddContainer("sql", "mcr.microsoft.com/mssql/server", "2022-latest")
            .WithEnvironment("ACCEPT_EULA", "Y")
            .WithEnvironment("MSSQL_SA_PASSWORD", password)
            .WithEndpoint(name: "tds", targetPort: 1433, scheme: "tcp")
            .WithVolume("funnel-sql-data", "/var/opt/mssql");
        var endpoint = server.GetEndpoint("tds");

        return database => builder.AddConnectionString($"{database}-db", ReferenceExpression.Create(
            $"Server={endpoint.Property(EndpointProperty.Host)},{endpoint.Property(EndpointProperty.Port)};" +
            $"User ID=sa;Password={password};Database={database};TrustServerCertificate=true"));
    }

    /// <summary>The configured password, else one made once and kept in the (git-ignored) data folder.</summary>
    private static string SaPassword(IDistributedApplicationBuilder builder, string dataPath)
    {
        if (builder.Configuration["Parameters:sql-password"] is { Length: > 0 } configured)
        {
            return configured;
        }
        var file = Path.Combine(dataPath, "sql-password");
        if (!File.Exists(file))
        {
            File.WriteAllText(file, "Fn1!" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        }
        return File.ReadAllText(file).Trim();
    }
}

/// <summary>
/// PostgreSQL as a container where a runtime works (Aspire.Hosting.PostgreSQL): one database per service on it, as
/// its superuser (per-service logins are made only on the server the AppHost runs itself, LocalPostgres.cs).
/// </summary>
internal static class PostgresContainer
{
    public static Func<string, IResourceBuilder<IResourceWithConnectionString>> Add(IDistributedApplicationBuilder builder)
    {
        var server = builder.AddPostgres("postgres").WithDataVolume("funnel-postgres-data");
        return database => server.AddDatabase($"{database}-db", database);
    }
}
