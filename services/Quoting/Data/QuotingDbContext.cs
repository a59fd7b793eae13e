using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Messaging;
using Funnel.Quoting.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Funnel.Quoting.Data;

public abstract class QuotingDbContext(DbContextOptions options) : StageDbContext(options)
{
    public DbSet<Opportunity> Opportunities => Set<Opportunity>();
    public DbSet<Activity> Activities => Set<Activity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.HasOwnerChanges();
        modelBuilder.Entity<Opportunity>(opportunity =>
        {
            opportunity.ToTable("opportunities");
            opportunity.HasKey(o => o.ContactId);
            opportunity.Property(o => o.ContactId).ValueGeneratedNever();
            opportunity.Property(o => o.Owner).HasMaxLength(100);
            opportunity.Property(o => o.Name).HasMaxLength(200);
            opportunity.Property(o => o.Company).HasMaxLength(200);
            opportunity.Property(o => o.Status).HasConversion<string>().HasMaxLength(20);
            opportunity.Property(o => o.LostReason).HasMaxLength(500);
            opportunity.Property(o => o.CreditCurrency).HasMaxLength(3);
            opportunity.Property(o => o.Revision).IsConcurrencyToken();
            opportunity.Ignore(o => o.CurrentQuote);
            opportunity.HasIndex(o => new { o.Owner, o.Status });
            opportunity.HasIndex(o => o.OpenedAt);
            opportunity.OwnsMany(o => o.Quotes, quote =>
            {
                quote.ToTable("quotes");
                quote.WithOwner().HasForeignKey("ContactId");
                quote.HasKey(q => q.QuoteId);
                quote.Property(q => q.QuoteId).ValueGeneratedNever();
                quote.HasIndex("ContactId", nameof(Quote.Version)).IsUnique();
                quote.Property(q => q.Currency).HasMaxLength(3);
                quote.Property(q => q.Status).HasConversion<string>().HasMaxLength(20);
                quote.Property(q => q.AcceptedUnderGate).HasMaxLength(50);
                quote.Property(q => q.RejectedReason).HasMaxLength(500);
                quote.OwnsMany(q => q.Lines, line =>
                {
                    line.ToTable("quote_lines");
                    line.WithOwner().HasForeignKey("QuoteId");
                    line.HasKey("QuoteId", nameof(QuoteLineItem.LineNumber));
                    line.Property(l => l.LineNumber).ValueGeneratedNever();
                    line.Property(l => l.Sku).HasMaxLength(64);
                    line.Property(l => l.Description).HasMaxLength(500);
                    line.Property(l => l.Quantity).HasPrecision(18, 4);
                    line.Property(l => l.DiscountPercent).HasPrecision(5, 2);
                });
            });
        });
        modelBuilder.Entity<Activity>(activity =>
        {
            activity.ToTable("activities");
            activity.HasKey(a => a.Id);
            activity.Property(a => a.Id).ValueGeneratedNever();
            activity.HasOne<Opportunity>().WithMany().HasForeignKey(a => a.ContactId);
            activity.HasIndex(a => new { a.ContactId, a.OccurredAt, a.Id });
            activity.Property(a => a.Kind).HasConversion<string>().HasMaxLength(20);
            activity.Property(a => a.Summary).HasMaxLength(2000);
            activity.Property(a => a.By).HasMaxLength(100);
        });
    }
}

public sealed class SqliteQuotingDbContext(DbContextOptions<SqliteQuotingDbContext> options) : QuotingDbContext(options);

public sealed class SqlServerQuotingDbContext(DbContextOptions<SqlServerQuotingDbContext> options) : QuotingDbContext(options);

public sealed class PostgresQuotingDbContext(DbContextOptions<PostgresQuotingDbContext> options)
    : QuotingDbContext(options);

public sealed class SqliteQuotingDesignFactory : IDesignTimeDbContextFactory<SqliteQuotingDbContext>
{
    public SqliteQuotingDbContext CreateDbContext(string[] args) => new(DesignTime.Sqlite<SqliteQuotingDbContext>());
}

public sealed class SqlServerQuotingDesignFactory : IDesignTimeDbContextFactory<SqlServerQuotingDbContext>
{
    public SqlServerQuotingDbContext CreateDbContext(string[] args) => new(DesignTime.SqlServer<SqlServerQuotingDbContext>());
}

public sealed class PostgresQuotingDesignFactory : IDesignTimeDbContextFactory<PostgresQuotingDbContext>
{
    public PostgresQuotingDbContext CreateDbContext(string[] args) => new(DesignTime.Postgres<PostgresQuotingDbContext>());
}
