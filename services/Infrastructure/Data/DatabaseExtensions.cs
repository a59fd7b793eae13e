using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Funnel.Infrastructure.Data;

public static class DatabaseExtensions
{
    public const string SqlServer = "sqlserver";
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary>How long a SQLite writer waits for another writer's lock before it fails.</summary>
    private const int SqliteWaitSeconds = 30;

    /// <summary>
    /// Registers the service's DbContext on the provider the AppHost chose (<c>Database:Provider</c>): PostgreSQL,
    /// SQL Server, or an embedded SQLite file. Each provider has its own context subclass so that each keeps its own
    /// migrations.
    /// </summary>
    public static IHostApplicationBuilder AddStageDatabase<TContext, TSqlite, TSqlServer, TPostgres>(
        this IHostApplicationBuilder builder, string connectionName)
        where TContext : DbContext
        where TSqlite : TContext
        where TSqlServer : TContext
        where TPostgres : TContext
    {
        var provider = builder.Configuration["Database:Provider"] ?? Sqlite;
        var connectionString = builder.Configuration.GetConnectionString(connectionName);
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton(TimeProvider.System);

        // Pooled: a context is reset and reused instead of built per request. Building one looked the model up again
        // each time (EF Core reads the assembly's attributes for a compiled model), a tenth of a stage's CPU under the
        // full funnel (BENCHMARKS.md).
        switch (provider)
        {
            case SqlServer:
                builder.Services.AddDbContextPool<TContext, TSqlServer>((services, options) => options
                    .UseSqlServer(Required(connectionString, provider, connectionName), sql => sql.EnableRetryOnFailure())
                    .AddInterceptors(services.GetRequiredService<OutboxSignal>()));
                break;
            case Postgres:
                // Retries ride out a restart or failover of the server; a request waits instead of failing.
                builder.Services.AddDbContextPool<TContext, TPostgres>((services, options) => options
                    .UseNpgsql(Required(connectionString, provider, connectionName), npgsql => npgsql.EnableRetryOnFailure(
                        maxRetryCount: 6, maxRetryDelay: TimeSpan.FromSeconds(5), errorCodesToAdd: null))
                    .AddInterceptors(services.GetRequiredService<OutboxSignal>()));
                break;
            case Sqlite:
                connectionString = PrepareSqlite(connectionString ?? $"Data Source={connectionName}.db");
                var tuning = new SqliteTuning(builder.Configuration["Database:Sqlite:Synchronous"] ?? "Normal",
                    SqliteWaitSeconds);
                builder.Services.AddDbContextPool<TContext, TSqlite>((services, options) => options
                    .UseSqlite(connectionString)
                    .AddInterceptors(services.GetRequiredService<OutboxSignal>(), tuning));
                break;
            default:
                throw new InvalidOperationException(
                    $"Database:Provider '{provider}' is not supported; use '{Postgres}', '{SqlServer}' or '{Sqlite}'.");
        }

        if (builder.Configuration["Database:MoveFrom"] is { Length: > 0 } moveFrom)
        {
            builder.Services.AddSingleton(new DataMoveSource(() => (DbContext)Activator.CreateInstance(typeof(TSqlite),
                new DbContextOptionsBuilder<TSqlite>().UseSqlite(moveFrom).Options)!));
        }

        if (typeof(TContext).IsAssignableTo(typeof(StageDbContext)))
        {
            // The request's unit of work, for what every stage service shares (Idempotency-Key).
            builder.Services.AddScoped(services => (StageDbContext)(object)services.GetRequiredService<TContext>());
        }
        builder.Services.AddHealthChecks().AddDbContextCheck<TContext>(connectionName, tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// Brings the schema up to date before the service takes traffic, unless <c>Database:Migrate</c> is false (a
    /// deployment that migrates once, in a job). EF Core takes a database lock for it, so replicas starting together
    /// do not race. Returns true when <c>Database:MigrateOnly</c> asks the process to migrate and stop (that job), or
    /// <c>Database:MoveFrom</c> to move an installation's SQLite data into it and stop (scripts/move-data.sh).
    /// </summary>
    public static async Task<bool> MigrateDatabaseAsync<TContext>(this WebApplication app) where TContext : DbContext
    {
        var migrateOnly = app.Configuration.GetValue("Database:MigrateOnly", false);
        var move = app.Services.GetService<DataMoveSource>();
        if (!migrateOnly && move is null && !app.Configuration.GetValue("Database:Migrate", true))
        {
            return false;
        }
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        await using (await MigrationLockAsync(db))
        {
            await db.Database.MigrateAsync();
        }
        if (db.Database.IsSqlite())
        {
            // Readers do not block the writer, and replicas of a service can share the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
        if (move is not null)
        {
            await using var source = move.Open();
            await DataMove.MoveAsync(source, db, Console.Out, app.Lifetime.ApplicationStopping);
            return true;
        }
        return migrateOnly;
    }

    /// <summary>
    /// On PostgreSQL, a session lock on the database for the whole migration: EF Core's own lock there is taken per
    /// migration after the list of applied ones is read, and two replicas starting on a new database both applied the
    /// same one ("relation owner_changes already exists", one replica dead). SQLite and SQL Server rely on EF Core's.
    /// </summary>
    private static async Task<IAsyncDisposable> MigrationLockAsync(DbContext db)
    {
        if (!db.Database.IsNpgsql())
        {
            return new NoLock();
        }
        // Its own unpooled connection: closing it ends the session, and the lock with it, even after a crash.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString())
        {
            Pooling = false,
        }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(hashtext(current_database()))", connection);
        await command.ExecuteNonQueryAsync();
        return connection;
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private static string Required(string? connectionString, string provider, string connectionName) =>
        !string.IsNullOrWhiteSpace(connectionString)
            ? connectionString
            : throw new InvalidOperationException(
                $"Database:Provider is '{provider}' but ConnectionStrings:{connectionName} is not set.");

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
