using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Funnel.EndToEndTests;

/// <summary>
/// An installation moved up: the SQLite system's databases copied into a new data folder and moved into PostgreSQL by
/// scripts/move-data.sh, with a customer walked through on SQLite first and how its journey and funnel read there.
/// </summary>
public sealed partial class MovedInstallation
{
    public static readonly string[] Services = ["leads", "qualification", "quoting", "orders", "pipeline"];

    private MovedInstallation(string dataPath, string owner, string contactId, string to, string journey, string funnel,
        string log)
    {
        DataPath = dataPath;
        Owner = owner;
        ContactId = contactId;
        To = to;
        Journey = journey;
        Funnel = funnel;
        Log = log;
    }

    /// <summary>The data folder: the SQLite copies the move read, and the PostgreSQL server it wrote.</summary>
    public string DataPath { get; }
    public string Owner { get; }
    public string ContactId { get; }
    /// <summary>The funnel's end, fixed so it reads the same later.</summary>
    public string To { get; }
    public string Journey { get; }
    public string Funnel { get; }
    /// <summary>What the move printed: per table, rows moved of rows read.</summary>
    public string Log { get; }

    public static async Task<MovedInstallation> MoveAsync(FunnelApp sqlite, string dataPath, CancellationToken cancellationToken)
    {
        var owner = $"moved-{Guid.NewGuid():N}"[..20];
        var manager = sqlite.GatewayAs("mover", "manager");
        var contacts = new Contacts(manager);
        var id = await contacts.Prospect(owner);
        var quote = await contacts.DraftQuote(id);
        (await manager.PostAsJsonAsync($"/api/quoting/{id}/quotes/{quote}/send", new { }, cancellationToken)).EnsureSuccessStatusCode();
        (await manager.PostAsJsonAsync($"/api/quoting/{id}/quotes/{quote}/accept", new { }, cancellationToken)).EnsureSuccessStatusCode();
        await manager.Eventually($"/api/pipeline/contacts/{id}", j => j["stage"]!.GetValue<string>() == "customer");

        var asOwner = sqlite.GatewayAs(owner);
        var to = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        var journey = await asOwner.GetStringAsync($"/api/pipeline/contacts/{id}", cancellationToken);
        var funnel = await asOwner.GetStringAsync($"/api/pipeline/funnel?to={Uri.EscapeDataString(to)}", cancellationToken);

        // A consistent copy of each live file, as a stopped installation's would be.
        foreach (var service in Services)
        {
            await using var source = new SqliteConnection($"Data Source={Path.Combine(sqlite.DataPath, service + "-db.db")};Mode=ReadOnly");
            await using var copy = new SqliteConnection($"Data Source={Path.Combine(dataPath, service + "-db.db")}");
            await source.OpenAsync(cancellationToken);
            source.BackupDatabase(copy);
        }
        SqliteConnection.ClearAllPools();

        var (exit, log) = await DeploymentTests.RunAsync("bash",
            [Path.Combine(DeploymentTests.Root, "scripts", "move-data.sh"), "postgres", "--data", dataPath, "--no-build"],
            DeploymentTests.Root, within: TimeSpan.FromMinutes(4));
        if (exit != 0)
        {
            throw new InvalidOperationException($"scripts/move-data.sh failed ({exit}):\n{log}");
        }
        return new(dataPath, owner, id, to, journey, funnel, log);
    }

    /// <summary>
    /// The keys of every row of every table in a service's SQLite copy, and those of the same table in PostgreSQL.
    /// </summary>
    public async Task<IReadOnlyList<(string Table, HashSet<string> Sqlite, HashSet<string> Postgres)>> KeysAsync(
        string service, string postgresConnectionString, CancellationToken cancellationToken)
    {
        var tables = new List<(string, HashSet<string>, HashSet<string>)>();
        await using var sqlite = new SqliteConnection($"Data Source={Path.Combine(DataPath, service + "-db.db")};Mode=ReadOnly");
        await using var postgres = new NpgsqlConnection(postgresConnectionString);
        await sqlite.OpenAsync(cancellationToken);
        await postgres.OpenAsync(cancellationToken);
        foreach (var table in await ColumnAsync(sqlite,
                     "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND substr(name, 1, 4) <> '__EF'",
                     cancellationToken))
        {
            var key = await ColumnAsync(sqlite, $"SELECT name FROM pragma_table_info('{table}') WHERE pk > 0 ORDER BY pk", cancellationToken);
            var fromSqlite = await ColumnAsync(sqlite,
                $"SELECT {string.Join(" || '|' || ", key.Select(k => $"\"{k}\""))} FROM \"{table}\"", cancellationToken);
            var fromPostgres = await ColumnAsync(postgres,
                $"SELECT {string.Join(" || '|' || ", key.Select(k => $"\"{k}\"::text"))} FROM \"{table}\"", cancellationToken);
            // SQLite keeps GUIDs as upper-case text, PostgreSQL as uuid.
            tables.Add((table, fromSqlite.Select(k => k.ToLowerInvariant()).ToHashSet(),
                fromPostgres.Select(k => k.ToLowerInvariant()).ToHashSet()));
        }
        return tables;
    }

    /// <summary>
    /// A read made comparable across the two databases: PostgreSQL keeps times to the microsecond (SQLite here to the
    /// tick), so times are cut to microseconds and the durations derived from them to five significant digits.
    /// </summary>
    public static string Comparable(string json) =>
        Number().Replace(Microseconds().Replace(json, "$1"), m =>
            double.Parse(m.Value, CultureInfo.InvariantCulture).ToString("G5", CultureInfo.InvariantCulture));

    private static async Task<List<string>> ColumnAsync(System.Data.Common.DbConnection connection, string sql,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var values = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!);
        }
        return values;
    }

    [GeneratedRegex(@"(T\d\d:\d\d:\d\d\.\d{6})\d+")]
    private static partial Regex Microseconds();

    [GeneratedRegex(@"-?\d+\.\d+(E-?\d+)?")]
    private static partial Regex Number();
}
