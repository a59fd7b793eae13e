using System.Text.Json;
using Funnel.Infrastructure.Data;
using Funnel.Leads.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Design;

namespace Funnel.Leads.Data;

public abstract class LeadsDbContext(DbContextOptions options) : StageDbContext(options)
{
    public DbSet<Lead> Leads => Set<Lead>();
    public DbSet<KnownCustomer> Customers => Set<KnownCustomer>();
    public DbSet<LeadImport> Imports => Set<LeadImport>();
    public DbSet<ImportPart> ImportParts => Set<ImportPart>();
    public DbSet<ImportRowOutcome> ImportRows => Set<ImportRowOutcome>();
    public DbSet<RunningImport> RunningImports => Set<RunningImport>();
    public DbSet<Erasure> Erasures => Set<Erasure>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<Lead>(lead =>
        {
            lead.ToTable("leads");
            lead.HasKey(l => l.ContactId);
            lead.Property(l => l.ContactId).ValueGeneratedNever();
            lead.Property(l => l.Name).HasMaxLength(200);
            lead.Property(l => l.Company).HasMaxLength(200);
            lead.Property(l => l.Email).HasMaxLength(254);
            lead.Property(l => l.Phone).HasMaxLength(40);
            lead.Property(l => l.NormalizedEmail).HasMaxLength(254);
            lead.Property(l => l.NormalizedPhone).HasMaxLength(20);
            lead.Property(l => l.Owner).HasMaxLength(100);
            lead.Property(l => l.Notes).HasMaxLength(2000);
            lead.Property(l => l.LostReason).HasMaxLength(500);
            lead.Property(l => l.QualifiedUnderGate).HasMaxLength(50);
            lead.Property(l => l.Source).HasConversion<string>().HasMaxLength(20);
            lead.Property(l => l.Status).HasConversion<string>().HasMaxLength(20);
            lead.Property(l => l.Revision).IsConcurrencyToken();
            // The duplicate rule lives in the database, so two racing captures cannot both get in.
            lead.HasIndex(l => l.NormalizedEmail).IsUnique();
            lead.HasIndex(l => l.NormalizedPhone).IsUnique();
            lead.HasIndex(l => new { l.Owner, l.Status });
            lead.HasIndex(l => l.CapturedAt);
            lead.OwnsMany(l => l.SearchWords, word =>
            {
                word.ToTable("lead_search_words");
                word.WithOwner().HasForeignKey("ContactId");
                word.HasKey("ContactId", nameof(SearchWord.Word));
                word.Property(w => w.Word).HasMaxLength(SearchText.MaxWordLength);
                // A search seeks the words by prefix range here, then reads only their leads.
                word.HasIndex(nameof(SearchWord.Word), "ContactId");
            });
        });
        modelBuilder.Entity<LeadImport>(import =>
        {
            import.ToTable("imports");
            import.HasKey(i => i.ImportId);
            import.Property(i => i.ImportId).ValueGeneratedNever();
            import.Property(i => i.Caller).HasMaxLength(100);
            import.Property(i => i.Status).HasConversion<string>().HasMaxLength(20);
            import.Property(i => i.Failure).HasMaxLength(1000);
            import.Property(i => i.ClaimedBy).HasMaxLength(100);
            // The worker looks for imports to take up by status.
            import.HasIndex(i => new { i.Status, i.ClaimedUntil });
        });
        modelBuilder.Entity<ImportPart>(part =>
        {
            part.ToTable("import_parts");
            part.HasKey(p => new { p.ImportId, p.Part });
        });
        modelBuilder.Entity<ImportRowOutcome>(row =>
        {
            row.ToTable("import_rows");
            row.HasKey(r => new { r.ImportId, r.Row });
            row.Property(r => r.Outcome).HasConversion<string>().HasMaxLength(20);
            row.Property(r => r.Errors).HasConversion(
                errors => errors == null ? null : JsonSerializer.Serialize(errors, JsonSerializerOptions.Web),
                json => json == null ? null : JsonSerializer.Deserialize<Dictionary<string, string[]>>(json, JsonSerializerOptions.Web),
                ByJson<IReadOnlyDictionary<string, string[]>>());
            row.Property(r => r.Unmet).HasConversion(
                unmet => unmet == null ? null : JsonSerializer.Serialize(unmet, JsonSerializerOptions.Web),
                json => json == null ? null : JsonSerializer.Deserialize<List<string>>(json, JsonSerializerOptions.Web),
                ByJson<IReadOnlyList<string>>());
        });
        modelBuilder.Entity<Erasure>(erasure =>
        {
            erasure.ToTable("erasures");
            erasure.HasKey(e => e.ContactId);
            erasure.Property(e => e.ContactId).ValueGeneratedNever();
            erasure.Property(e => e.RequestedBy).HasMaxLength(100);
            erasure.Ignore(e => e.Done);
            erasure.OwnsMany(e => e.Steps, step =>
            {
                step.ToTable("erasure_steps");
                step.WithOwner().HasForeignKey("ContactId");
                step.HasKey("ContactId", nameof(ErasureStep.Service));
                step.Property(s => s.Service).HasMaxLength(20);
            });
        });
        modelBuilder.Entity<RunningImport>(running =>
        {
            running.ToTable("running_imports");
            running.HasKey(r => r.Caller);
            running.Property(r => r.Caller).HasMaxLength(100);
        });
        modelBuilder.Entity<KnownCustomer>(customer =>
        {
            customer.ToTable("customers");
            customer.HasKey(c => c.ContactId);
            customer.Property(c => c.ContactId).ValueGeneratedNever();
        });
    }

    /// <summary>
    /// An import finished before <paramref name="before"/> goes with its rows' outcomes: the outcomes first, a batch at a
    /// time, then the imports left with none, so a purge cut off midway leaves an import readable, only shorter.
    /// </summary>
    public override async Task<int> PurgeFinishedJobsAsync(DateTimeOffset before, int batch,
        CancellationToken cancellationToken)
    {
        var finished = Imports.Where(i => i.FinishedAt != null && i.FinishedAt < before).Select(i => i.ImportId);
        var rows = await ImportRows.Where(r => finished.Contains(r.ImportId))
            .OrderBy(r => r.ImportId).ThenBy(r => r.Row).Take(batch).ExecuteDeleteAsync(cancellationToken);
        if (rows == batch)
        {
            return rows;
        }
        return rows + await Imports.Where(i => i.FinishedAt != null && i.FinishedAt < before &&
                                               !ImportRows.Any(r => r.ImportId == i.ImportId))
            .OrderBy(i => i.ImportId).Take(batch - rows).ExecuteDeleteAsync(cancellationToken);
    }

    // An outcome's lists are written once and never changed in place: comparing their JSON is enough.
    private static ValueComparer<T?> ByJson<T>() where T : class => new(
        (a, b) => JsonSerializer.Serialize(a, JsonSerializerOptions.Web) == JsonSerializer.Serialize(b, JsonSerializerOptions.Web),
        v => JsonSerializer.Serialize(v, JsonSerializerOptions.Web).GetHashCode(),
        v => v);
}

public sealed class SqliteLeadsDbContext(DbContextOptions<SqliteLeadsDbContext> options) : LeadsDbContext(options);

public sealed class SqlServerLeadsDbContext(DbContextOptions<SqlServerLeadsDbContext> options) : LeadsDbContext(options);

public sealed class PostgresLeadsDbContext(DbContextOptions<PostgresLeadsDbContext> options) : LeadsDbContext(options);

public sealed class SqliteLeadsDesignFactory : IDesignTimeDbContextFactory<SqliteLeadsDbContext>
{
    public SqliteLeadsDbContext CreateDbContext(string[] args) => new(DesignTime.Sqlite<SqliteLeadsDbContext>());
}

public sealed class SqlServerLeadsDesignFactory : IDesignTimeDbContextFactory<SqlServerLeadsDbContext>
{
    public SqlServerLeadsDbContext CreateDbContext(string[] args) => new(DesignTime.SqlServer<SqlServerLeadsDbContext>());
}

public sealed class PostgresLeadsDesignFactory : IDesignTimeDbContextFactory<PostgresLeadsDbContext>
{
    public PostgresLeadsDbContext CreateDbContext(string[] args) => new(DesignTime.Postgres<PostgresLeadsDbContext>());
}
