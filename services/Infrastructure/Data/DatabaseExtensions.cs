using Funnel.Infrastructure.Outbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Funnel.Infrastructure.Data;

public static class DatabaseExtensions
{
    public const string SqlServer = "sqlserver";
    public const string Sqlite = "sqlite";

    /// <summary>How long a SQLite writer waits for another writer's lock before it fails.</summary>
    private const int SqliteWaitSeconds = 30;

    /// <summary>
    /// Registers the service's DbContext on the provider the AppHost chose (<c>Database:Provider</c>): SQL Server, or
    /// an embedded SQLite file. Each provider has its own context subclass so that each keeps its own migrations.
    /// </summary>
    public static IHostApplicationBuilder AddStageDatabase<TContext, TSqlite, TSqlServer>(
        this IHostApplicationBuilder builder, string connectionName)
        where TContext : DbContext
        where TSqlite : TContext
        where TSqlServer : TContext
    {
        var provider = builder.Configuration["Database:Provider"] ?? Sqlite;
        var connectionString = builder.Configuration.GetConnectionString(connectionName);
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton(TimeProvider.System);

        switch (provider)
        {
            case SqlServer:
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException(
                        $"Database:Provider is '{SqlServer}' but ConnectionStrings:{connectionName} is not set.");
                }
                builder.Services.AddDbContext<TContext, TSqlServer>((services, options) => options
                    .UseSqlServer(connectionString, sql => sql.EnableRetryOnFailure())
                    .AddInterceptors(services.GetRequiredService<OutboxSignal>()));
                break;
            case Sqlite:
                connectionString = PrepareSqlite(connectionString ?? $"Data Source={connectionName}.db");
                var tuning = new SqliteTuning(builder.Configuration["Database:Sqlite:Synchronous"] ?? "Normal",
                    SqliteWaitSeconds);
                builder.Services.AddDbContext<TContext, TSqlite>((services, options) => options
                    .UseSqlite(connectionString)
                    .AddInterceptors(services.GetRequiredService<OutboxSignal>(), tuning));
                break;
            default:
                throw new InvalidOperationException(
                    $"Database:Provider '{provider}' is not supported; use '{SqlServer}' or '{Sqlite}'.");
        }

        if (typeof(TContext).IsAssignableTo(typeof(StageDbContext)))
        {
            // The request's unit of work, for what every stage service shares (Idempotency-Key).
            builder.Services.AddScoped(services => (StageDbContext)(object)services.GetRequiredService<TContext>());
        }
        builder.Services.AddHealthChecks().AddDbContextCheck<TContext>(connectionName, tags: ["ready"]);
        return builder;
    }

    /// <summary>Brings the schema up to date before the service takes traffic.</summary>
    public static async Task MigrateDatabaseAsync<TContext>(this WebApplication app) where TContext : DbContext
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        await db.Database.MigrateAsync();
        if (db.Database.IsSqlite())
        {
            // Readers do not block the writer, and replicas of a service can share the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
    }

    private static string PrepareSqlite(string connectionString)
    {
        var sqlite = new SqliteConnectionStringBuilder(connectionString);
        var folder = Path.GetDirectoryName(Path.GetFullPath(sqlite.DataSource));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
        // Writers from several replicas wait for each other instead of failing at once.
        sqlite.DefaultTimeout = SqliteWaitSeconds;
        return sqlite.ToString();
    }
}
