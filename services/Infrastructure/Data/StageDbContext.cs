using System.Diagnostics;
using Funnel.Infrastructure.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Funnel.Infrastructure.Data;

/// <summary>
/// The base of every stage service's DbContext: its own tables plus the outbox (events to publish) and the inbox
/// (messages already handled), so that a state change, its events and its inbox mark commit in one transaction.
/// </summary>
/// <remarks>
/// Keys are made in the domain (version 7 GUIDs, line numbers), so the services' models mark them
/// <c>ValueGeneratedNever</c>: otherwise EF takes a new item with a preset key in an owned collection for an existing
/// row and updates instead of inserting.
/// </remarks>
public abstract class StageDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<ProcessedMessage> ProcessedMessages => Set<ProcessedMessage>();
    public DbSet<IdempotentRequest> IdempotentRequests => Set<IdempotentRequest>();
    public DbSet<ErasedContact> ErasedContacts => Set<ErasedContact>();

    /// <summary>
    /// Deletes at most <paramref name="batch"/> rows of the stage's jobs that finished before <paramref name="before"/>
    /// (the retention purge calls it until a batch comes back short); a stage with no such jobs has none.
    /// </summary>
    public virtual Task<int> PurgeFinishedJobsAsync(DateTimeOffset before, int batch, CancellationToken cancellationToken) =>
        Task.FromResult(0);

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        this.EraseLateArrivals();
        var saved = PrepareStageRecords();
        int count;
        using (this.WriterTurn())
        {
            count = base.SaveChanges(acceptAllChangesOnSuccess);
        }
        saved.ForEach(r => r.ClearRecordedEvents());
        return count;
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess,
        CancellationToken cancellationToken = default)
    {
        await this.EraseLateArrivalsAsync(cancellationToken);
        var saved = PrepareStageRecords();
        int count;
        using (await this.WriterTurnAsync(cancellationToken))
        {
            count = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        saved.ForEach(r => r.ClearRecordedEvents());
        return count;
    }

    /// <summary>
    /// Writes the events the records recorded to the outbox (sent only if this unit of work commits) and moves the
    /// revision of every stored record that changed: its own columns, an owned row added, changed or removed, or a
    /// move that recorded an event.
    /// </summary>
    private List<StageRecord> PrepareStageRecords()
    {
        ChangeTracker.DetectChanges();
        var detect = ChangeTracker.AutoDetectChangesEnabled;
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return PrepareDetectedStageRecords();
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    private List<StageRecord> PrepareDetectedStageRecords()
    {
        var records = ChangeTracker.Entries<StageRecord>().ToList();
        var changedOwned = ChangeTracker.Entries()
            .Where(e => e.Metadata.IsOwned() && e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .ToList();
        var changedOwners = new HashSet<StageRecord>();
        if (changedOwned.Count > 0)
        {
            // One pass over the tracked rows, so that an import of thousands of records with their owned rows stays
            // linear. A replaced owned row is tracked twice under one key (deleted and added); either leads to its record.
            var byKey = new Dictionary<(IEntityType, string), EntityEntry>();
            foreach (var entry in ChangeTracker.Entries())
            {
                byKey.TryAdd((entry.Metadata, KeyOf(entry, entry.Metadata.FindPrimaryKey()!.Properties)), entry);
            }
            changedOwners.UnionWith(changedOwned.Select(e => OwningRecord(e, byKey)).OfType<StageRecord>());
        }
        foreach (var entry in records.Where(e => e.State is EntityState.Modified or EntityState.Unchanged))
        {
            if (entry.State == EntityState.Modified || changedOwners.Contains(entry.Entity) ||
                entry.Entity.RecordedEvents.Count > 0)
            {
                entry.Entity.Revision++;
            }
        }
        var traceParent = Activity.Current?.Id;
        foreach (var record in records.Select(e => e.Entity))
        {
            foreach (var stageEvent in record.RecordedEvents)
            {
                Outbox.Add(OutboxMessage.For(stageEvent, traceParent));
            }
        }
        return records.Select(e => e.Entity).Where(r => r.RecordedEvents.Count > 0).ToList();
    }

    /// <summary>The record an owned row belongs to, through as many levels of ownership as the model has.</summary>
    private static object? OwningRecord(EntityEntry owned,
        Dictionary<(IEntityType, string), EntityEntry> byKey)
    {
        var entry = owned;
        while (entry.Metadata.FindOwnership() is { } ownership)
        {
            if (!byKey.TryGetValue((ownership.PrincipalEntityType, KeyOf(entry, ownership.Properties)), out var principal))
            {
                return null;
            }
            entry = principal;
        }
        return entry.Entity;
    }

    /// <summary>The values of <paramref name="properties"/> as one text (as they were, for a deleted row).</summary>
    private static string KeyOf(EntityEntry entry, IReadOnlyList<IProperty> properties) =>
        string.Join('|', properties.Select(p => Convert.ToString(entry.State == EntityState.Deleted
            ? entry.Property(p.Name).OriginalValue
            : entry.Property(p.Name).CurrentValue, System.Globalization.CultureInfo.InvariantCulture)));

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(outbox =>
        {
            outbox.ToTable("outbox");
            outbox.HasKey(m => m.Sequence);
            outbox.Property(m => m.Sequence).ValueGeneratedOnAdd();
            outbox.HasIndex(m => m.EventId).IsUnique();
            outbox.HasIndex(m => new { m.SentAt, m.Sequence });
            outbox.Property(m => m.Type).HasMaxLength(200);
            outbox.Property(m => m.TraceParent).HasMaxLength(128);
            outbox.Property(m => m.ClaimedBy).HasMaxLength(100);
        });
        modelBuilder.Entity<IdempotentRequest>(request =>
        {
            request.ToTable("idempotent_requests");
            request.HasKey(r => new { r.Caller, r.Key });
            request.Property(r => r.Caller).HasMaxLength(100);
            request.Property(r => r.Key).HasMaxLength(200);
            request.Property(r => r.RequestHash).HasMaxLength(64);
            request.Property(r => r.ContentType).HasMaxLength(100);
            request.Property(r => r.Location).HasMaxLength(300);
            request.Property(r => r.ETag).HasMaxLength(50);
            // The retention purge finds expired keys by age, an erasure a contact's answers.
            request.HasIndex(r => r.CreatedAt);
            request.HasIndex(r => r.ContactId);
        });
        modelBuilder.HasErasedContacts();
        modelBuilder.Entity<ProcessedMessage>(inbox =>
        {
            inbox.ToTable("processed_messages");
            inbox.HasKey(m => new { m.Consumer, m.EventId });
            inbox.Property(m => m.Consumer).HasMaxLength(200);
            inbox.HasIndex(m => m.ProcessedAt);
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.UseFunnelConventions(Database);
}

public static class FunnelConventions
{
    /// <summary>
    /// SQLite has no date-time-offset type and cannot compare or sort the text EF would store. Times are stored as UTC
    /// ticks: ordered, exact to the tick (EF's binary converter drops below 0.1 ms, so a time read back would differ
    /// from the one written), and every time in Funnel is UTC.
    /// </summary>
    public static void UseFunnelConventions(this ModelConfigurationBuilder configurationBuilder, DatabaseFacade database)
    {
        if (database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        }
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        time => time.UtcTicks, ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
}
