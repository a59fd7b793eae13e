using System.Data.Common;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Funnel.Infrastructure.Data;

/// <summary>The SQLite database a service's data moves out of (<c>Database:MoveFrom</c>), in the service's own model.</summary>
public sealed class DataMoveSource(Func<DbContext> open)
{
    public DbContext Open() => open();
}

/// <summary>
/// Moves a stage's data from its SQLite file into the server database the service runs on (scripts/move-data.sh):
/// every table in key order, in chunks, through the service's own model, so each provider stores the values in its own
/// types (times, GUIDs, decimals). The move refuses a target that already holds data, and fails unless every table
/// counts the same rows on both sides afterwards.
/// </summary>
public static class DataMove
{
    private const int Chunk = 1_000;

    /// <summary>
    /// Marks an entity type whose rows the context keeps from other rows on every save (counts, say): the move copies
    /// those other rows and these follow them, so copying them too would count everything twice. They are still
    /// counted on both sides afterwards.
    /// </summary>
    public const string FollowsOtherRows = "Funnel:FollowsOtherRows";

    private static readonly MethodInfo CopyMethod =
        typeof(DataMove).GetMethod(nameof(CopyAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    public static async Task MoveAsync(DbContext source, DbContext target, TextWriter log, CancellationToken cancellationToken)
    {
        if (!source.Database.IsSqlite())
        {
            throw new InvalidOperationException("Data moves from a SQLite database only.");
        }
        if (target.Database.IsSqlite())
        {
            throw new InvalidOperationException(
                "The service runs on SQLite: set Database:Provider to postgres or sqlserver and its connection string.");
        }
        // The file must have this version's schema, as it would after a start of this version on SQLite.
        if ((await source.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
        {
            await source.Database.MigrateAsync(cancellationToken);
        }

        var tables = Tables(target.Model);
        foreach (var table in tables)
        {
            if (await CountAsync(target, table, cancellationToken) > 0)
            {
                throw new InvalidOperationException(
                    $"The target database already holds rows in '{table}': a move goes into an empty database only, " +
                    "so two installations' data are never mixed.");
            }
        }

        source.ChangeTracker.AutoDetectChangesEnabled = false;
        foreach (var type in InDependencyOrder(target.Model))
        {
            var copy = (Func<DbContext, DbContext, CancellationToken, Task>)CopyMethod.MakeGenericMethod(type.ClrType)
                .CreateDelegate(typeof(Func<DbContext, DbContext, CancellationToken, Task>));
            await copy(source, target, cancellationToken);
        }

        foreach (var table in tables)
        {
            var (moved, kept) = (await CountAsync(source, table, cancellationToken),
                await CountAsync(target, table, cancellationToken));
            log.WriteLine($"{table}: {kept} of {moved} rows moved");
            if (moved != kept)
            {
                throw new InvalidOperationException($"'{table}' holds {moved} rows in SQLite but {kept} after the move.");
            }
        }
    }

    /// <summary>
    /// The aggregates' types, each after the types its foreign keys point to (an interaction after its case), so that
    /// every insert finds the row it refers to.
    /// </summary>
    private static List<IEntityType> InDependencyOrder(IModel model)
    {
        var types = model.GetEntityTypes()
            .Where(t => !t.IsOwned() && t.FindPrimaryKey() is not null && t.FindAnnotation(FollowsOtherRows) is null)
            .ToList();
        var placed = new List<IEntityType>();
        while (placed.Count < types.Count)
        {
            var ready = types.Where(t => !placed.Contains(t) && t.GetForeignKeys()
                .Where(fk => !fk.IsOwnership && fk.PrincipalEntityType != t)
                .All(fk => placed.Contains(fk.PrincipalEntityType))).ToList();
            if (ready.Count == 0)
            {
                throw new InvalidOperationException("The model's foreign keys form a cycle: no order of tables can be moved.");
            }
            placed.AddRange(ready);
        }
        return placed;
    }

    /// <summary>
    /// Copies one aggregate's rows with the rows it owns: each chunk read in key order and added to the target with
    /// every value, shadow keys included, then saved and forgotten, so memory stays flat however large the table.
    /// </summary>
    private static async Task CopyAsync<TEntity>(DbContext source, DbContext target, CancellationToken cancellationToken)
        where TEntity : class
    {
        var ordered = OrderByKey(source.Set<TEntity>(), source.Model.FindEntityType(typeof(TEntity))!);
        var type = target.Model.FindEntityType(typeof(TEntity))!;
        var generatedKey = type.FindPrimaryKey()!.Properties.Any(p => p.ValueGenerated != ValueGenerated.Never);
        for (var skip = 0; ; skip += Chunk)
        {
            var rows = await ordered.Skip(skip).Take(Chunk).ToListAsync(cancellationToken);
            if (rows.Count == 0)
            {
                break;
            }
            foreach (var row in rows)
            {
                target.Add(row);
            }
            foreach (var entry in target.ChangeTracker.Entries().ToList())
            {
                var original = source.Entry(entry.Entity);
                foreach (var property in entry.Metadata.GetProperties())
                {
                    entry.Property(property.Name).CurrentValue = original.Property(property.Name).CurrentValue;
                }
            }
            await SaveKeepingKeysAsync(target, type, generatedKey, cancellationToken);
            target.ChangeTracker.Clear();
            source.ChangeTracker.Clear();
        }
        if (generatedKey && target.Database.IsNpgsql())
        {
            // Keys inserted as they were do not move the identity's sequence; the next new row must come after them.
            var table = type.GetTableName()!;
            var column = type.FindPrimaryKey()!.Properties[0].GetColumnName();
            var sql = target.GetService<ISqlGenerationHelper>();
            var restart = $"SELECT setval(pg_get_serial_sequence('{sql.DelimitIdentifier(table)}', '{column}'), " +
                $"COALESCE(MAX({sql.DelimitIdentifier(column)}), 0) + 1, false) FROM {sql.DelimitIdentifier(table)}";
            await target.Database.ExecuteSqlRawAsync(restart, cancellationToken); // Names from the model, not input.
        }
    }

    /// <summary>SQL Server takes an identity column's value as given only while IDENTITY_INSERT is on for the table.</summary>
    private static async Task SaveKeepingKeysAsync(DbContext target, IEntityType type, bool generatedKey,
        CancellationToken cancellationToken)
    {
        if (!generatedKey || !target.Database.IsSqlServer())
        {
            await target.SaveChangesAsync(cancellationToken);
            return;
        }
        var table = target.GetService<ISqlGenerationHelper>().DelimitIdentifier(type.GetTableName()!, type.GetSchema());
        await target.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await target.Database.BeginTransactionAsync(cancellationToken);
            // A name from the model, not from input.
            string identityInsert(string on) => $"SET IDENTITY_INSERT {table} {on}";
            await target.Database.ExecuteSqlRawAsync(identityInsert("ON"), cancellationToken);
            await target.SaveChangesAsync(cancellationToken);
            await target.Database.ExecuteSqlRawAsync(identityInsert("OFF"), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            await target.Database.CloseConnectionAsync();
        }
    }

    private static IQueryable<TEntity> OrderByKey<TEntity>(IQueryable<TEntity> query, IEntityType type)
    {
        var row = Expression.Parameter(typeof(TEntity), "row");
        var first = true;
        foreach (var key in type.FindPrimaryKey()!.Properties)
        {
            var value = Expression.Call(typeof(EF), nameof(EF.Property), [key.ClrType], row, Expression.Constant(key.Name));
            query = query.Provider.CreateQuery<TEntity>(Expression.Call(typeof(Queryable),
                first ? nameof(Queryable.OrderBy) : nameof(Queryable.ThenBy), [typeof(TEntity), key.ClrType],
                query.Expression, Expression.Quote(Expression.Lambda(value, row))));
            first = false;
        }
        return query;
    }

    /// <summary>Every table of the model: aggregates, the rows they own, the outbox and inbox.</summary>
    private static List<string> Tables(IModel model) =>
        model.GetEntityTypes().Select(t => t.GetTableName()).OfType<string>().Distinct().Order().ToList();

    private static async Task<long> CountAsync(DbContext context, string table, CancellationToken cancellationToken)
    {
        var connection = context.Database.GetDbConnection();
        await context.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using DbCommand count = connection.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM {context.GetService<ISqlGenerationHelper>().DelimitIdentifier(table)}";
            return Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            await context.Database.CloseConnectionAsync();
        }
    }
}
