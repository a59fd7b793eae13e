using Funnel.Infrastructure.Data;
using Funnel.Leads.Data;
using Funnel.Orders.Data;
using Funnel.Pipeline.Data;
using Funnel.Qualification.Data;
using Funnel.Quoting.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Funnel.UnitTests;

/// <summary>
/// Both providers' migrations match each service's model, and the SQL Server script generates offline, so a model
/// change that breaks SQL Server cannot go unseen on machines that run only SQLite.
/// </summary>
public class SchemaTests
{
    public static TheoryData<string> Contexts => new(Factories.Keys);

    private static readonly Dictionary<string, Func<DbContext>> Factories = new()
    {
        ["sqlite-leads"] = () => new SqliteLeadsDbContext(DesignTime.Sqlite<SqliteLeadsDbContext>()),
        ["sqlserver-leads"] = () => new SqlServerLeadsDbContext(DesignTime.SqlServer<SqlServerLeadsDbContext>()),
        ["sqlite-qualification"] = () => new SqliteQualificationDbContext(DesignTime.Sqlite<SqliteQualificationDbContext>()),
        ["sqlserver-qualification"] = () => new SqlServerQualificationDbContext(DesignTime.SqlServer<SqlServerQualificationDbContext>()),
        ["sqlite-quoting"] = () => new SqliteQuotingDbContext(DesignTime.Sqlite<SqliteQuotingDbContext>()),
        ["sqlserver-quoting"] = () => new SqlServerQuotingDbContext(DesignTime.SqlServer<SqlServerQuotingDbContext>()),
        ["sqlite-orders"] = () => new SqliteOrdersDbContext(DesignTime.Sqlite<SqliteOrdersDbContext>()),
        ["sqlserver-orders"] = () => new SqlServerOrdersDbContext(DesignTime.SqlServer<SqlServerOrdersDbContext>()),
        ["sqlite-pipeline"] = () => new SqlitePipelineDbContext(DesignTime.Sqlite<SqlitePipelineDbContext>()),
        ["sqlserver-pipeline"] = () => new SqlServerPipelineDbContext(DesignTime.SqlServer<SqlServerPipelineDbContext>()),
    };

    [Theory]
    [MemberData(nameof(Contexts))]
    public void Migrations_match_the_model(string context)
    {
        using var db = Factories[context]();

        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(),
            $"{context}: the model changed without a migration; run scripts/add-migration.sh <Name>.");
    }

    [Theory]
    [MemberData(nameof(Contexts))]
    public void The_migration_script_generates_for_the_provider(string context)
    {
        using var db = Factories[context]();

        var migrator = db.GetService<IMigrator>();

        Assert.Contains("CREATE TABLE", migrator.GenerateScript());
        if (db.Database.IsSqlServer())
        {
            // The form a deployment applies to a server whatever migrations it already has.
            var idempotent = migrator.GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
            Assert.Contains("IF NOT EXISTS", idempotent);
            Assert.Contains("CREATE TABLE [", idempotent);
        }
    }
}
