using System.Text.Json;
using Funnel.Infrastructure.Data;
using Funnel.Pipeline.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Design;

namespace Funnel.Pipeline.Data;

/// <summary>Pipeline publishes nothing, so it has no outbox: its store is the stage events, keyed by event id.</summary>
public abstract class PipelineDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<StageEventRecord> Events => Set<StageEventRecord>();
    public DbSet<JourneyRow> Journeys => Set<JourneyRow>();
    public DbSet<StageVisitRow> Visits => Set<StageVisitRow>();
    public DbSet<StageFlowDay> FlowDays => Set<StageFlowDay>();
    public DbSet<BoardCount> BoardCounts => Set<BoardCount>();
    public DbSet<ErasedContact> ErasedContacts => Set<ErasedContact>();

    /// <summary>Pipeline saves asynchronously only: the reports' counts change in the same transaction as the rows.</summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        throw new NotSupportedException("Pipeline's store is saved with SaveChangesAsync.");

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess,
        CancellationToken cancellationToken = default)
    {
        await this.EraseLateArrivalsAsync(cancellationToken);
        // Worked out before the writer's turn, which is for writing only.
        var counts = ReportCountChanges.Of(ChangeTracker);
        using (await this.WriterTurnAsync(cancellationToken))
        {
            if (counts.IsEmpty || Database.CurrentTransaction is not null)
            {
                await counts.ApplyAsync(this, cancellationToken);
                return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            }
            // The counts' updates and the save commit together, and a retried transaction applies them afresh.
            return await Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
                await counts.ApplyAsync(this, cancellationToken);
                var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                if (acceptAllChangesOnSuccess)
                {
                    ChangeTracker.AcceptAllChanges();
                }
                return saved;
            });
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<StageEventRecord>(e =>
        {
            e.ToTable("stage_events");
            e.HasKey(r => r.EventId);
            e.Property(r => r.EventId).ValueGeneratedNever();
            e.HasIndex(r => new { r.ContactId, r.Step, r.Sequence, r.OccurredAt });
            e.HasIndex(r => r.OccurredAt);
            e.Property(r => r.Type).HasMaxLength(100);
            e.Property(r => r.Stage).HasMaxLength(30);
            e.Property(r => r.Owner).HasMaxLength(100);
            e.Property(r => r.Reason).HasMaxLength(500);
            e.Property(r => r.TraceId).HasMaxLength(32);
            e.Property(r => r.Name).HasMaxLength(200);
            e.Property(r => r.Company).HasMaxLength(200);
            e.Property(r => r.Currency).HasMaxLength(3);
            e.Ignore(r => r.Amount);
            e.Property(r => r.Unmet).HasConversion(
                unmet => JsonSerializer.Serialize(unmet, JsonSerializerOptions.Web),
                json => JsonSerializer.Deserialize<List<string>>(json, JsonSerializerOptions.Web) ?? new List<string>(),
                new ValueComparer<IReadOnlyList<string>>(
                    (a, b) => a!.SequenceEqual(b!), list => list.Aggregate(0, (h, s) => HashCode.Combine(h, s)),
                    list => list.ToList()));
        });
        modelBuilder.Entity<JourneyRow>(j =>
        {
            j.ToTable("journeys");
            j.HasKey(r => r.ContactId);
            j.Property(r => r.ContactId).ValueGeneratedNever();
            j.Property(r => r.Stage).HasMaxLength(30);
            j.Property(r => r.Status).HasConversion<string>().HasMaxLength(10);
            j.Property(r => r.Owner).HasMaxLength(100);
            j.Property(r => r.OpenQuoteCurrency).HasMaxLength(3);
            j.Property(r => r.WonCurrency).HasMaxLength(3);
            j.Property(r => r.Revision).IsConcurrencyToken();
            j.Ignore(r => r.Journey);
            // Covering for the stale list: its page is cut from the index alone (the key included), not from the rows.
            j.HasIndex(r => new { r.Status, r.Stage, r.LastActivityAt, r.ContactId });
            // Covering for the board's counts and open values per stage.
            j.HasIndex(r => new { r.Stage, r.Status, r.OpenQuoteCurrency, r.OpenQuoteMinor });
            j.HasIndex(r => new { r.Owner, r.Status, r.Stage });
            j.HasIndex(r => r.WonAt);
            // The board's cards: a stage's most recently active contacts.
            j.HasIndex(r => new { r.Stage, r.LastActivityAt });
        });
        modelBuilder.Entity<StageVisitRow>(v =>
        {
            v.ToTable("stage_visits");
            v.HasKey(r => new { r.ContactId, r.Number });
            v.Property(r => r.Stage).HasMaxLength(30);
            v.Property(r => r.Owner).HasMaxLength(100);
            v.Property(r => r.Outcome).HasConversion<string>().HasMaxLength(10);
            v.Property(r => r.Reason).HasMaxLength(500);
            // The funnel's questions: visits begun in a period, ended in a period, and a stage's median time.
            v.HasIndex(r => new { r.Stage, r.EnteredAt });
            v.HasIndex(r => new { r.Stage, r.LeftAt });
            v.HasIndex(r => new { r.Stage, r.DaysInStage, r.EnteredAt });
            v.HasIndex(r => new { r.Owner, r.Stage, r.EnteredAt });
        });
        modelBuilder.Entity<StageFlowDay>(f =>
        {
            f.ToTable("stage_flow_days");
            // Stage first: a report reads a run of days per stage, narrowed to one owner or summed over all.
            f.HasKey(r => new { r.Stage, r.Day, r.Owner });
            f.Property(r => r.Stage).HasMaxLength(30);
            f.Property(r => r.Owner).HasMaxLength(100);
            f.HasIndex(r => new { r.Owner, r.Stage, r.Day });
            // Kept from the visits by every save (ReportCountChanges): a data move copies the visits and these follow.
            f.HasAnnotation(DataMove.FollowsOtherRows, true);
        });
        modelBuilder.Entity<BoardCount>(b =>
        {
            b.ToTable("board_counts");
            b.HasKey(r => new { r.Stage, r.Owner, r.Currency });
            b.Property(r => r.Stage).HasMaxLength(30);
            b.Property(r => r.Owner).HasMaxLength(100);
            b.Property(r => r.Currency).HasMaxLength(3);
            b.HasIndex(r => new { r.Owner, r.Stage });
            // Kept from the journeys by every save, as the flows are from the visits.
            b.HasAnnotation(DataMove.FollowsOtherRows, true);
        });
        modelBuilder.HasErasedContacts();
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.UseFunnelConventions(Database);
}

public sealed class SqlitePipelineDbContext(DbContextOptions<SqlitePipelineDbContext> options) : PipelineDbContext(options);

public sealed class SqlServerPipelineDbContext(DbContextOptions<SqlServerPipelineDbContext> options) : PipelineDbContext(options);

public sealed class PostgresPipelineDbContext(DbContextOptions<PostgresPipelineDbContext> options)
    : PipelineDbContext(options);

public sealed class SqlitePipelineDesignFactory : IDesignTimeDbContextFactory<SqlitePipelineDbContext>
{
    public SqlitePipelineDbContext CreateDbContext(string[] args) => new(DesignTime.Sqlite<SqlitePipelineDbContext>());
}

public sealed class SqlServerPipelineDesignFactory : IDesignTimeDbContextFactory<SqlServerPipelineDbContext>
{
    public SqlServerPipelineDbContext CreateDbContext(string[] args) => new(DesignTime.SqlServer<SqlServerPipelineDbContext>());
}

public sealed class PostgresPipelineDesignFactory : IDesignTimeDbContextFactory<PostgresPipelineDbContext>
{
    public PostgresPipelineDbContext CreateDbContext(string[] args) => new(DesignTime.Postgres<PostgresPipelineDbContext>());
}
