using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Messaging;
using Funnel.Qualification.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Funnel.Qualification.Data;

public abstract class QualificationDbContext(DbContextOptions options) : StageDbContext(options)
{
    public DbSet<QualificationCase> Cases => Set<QualificationCase>();
    public DbSet<Interaction> Interactions => Set<Interaction>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.HasOwnerChanges();
        modelBuilder.Entity<QualificationCase>(@case =>
        {
            @case.ToTable("cases");
            @case.HasKey(c => c.ContactId);
            @case.Property(c => c.ContactId).ValueGeneratedNever();
            @case.Property(c => c.Owner).HasMaxLength(100);
            @case.Property(c => c.Name).HasMaxLength(200);
            @case.Property(c => c.Company).HasMaxLength(200);
            @case.Property(c => c.Email).HasMaxLength(254);
            @case.Property(c => c.Phone).HasMaxLength(40);
            @case.Property(c => c.Status).HasConversion<string>().HasMaxLength(30);
            @case.Property(c => c.PromotedUnderGate).HasMaxLength(50);
            @case.Property(c => c.LostReason).HasMaxLength(500);
            @case.Property(c => c.InterestNotes).HasMaxLength(2000);
            @case.Property(c => c.Revision).IsConcurrencyToken();
            @case.HasIndex(c => new { c.Owner, c.Status });
            @case.HasIndex(c => c.OpenedAt);
            @case.OwnsOne(c => c.CreditCheck, credit =>
            {
                credit.Property(c => c.Currency).HasMaxLength(3);
                credit.Property(c => c.Reason).HasMaxLength(500);
                credit.Property(c => c.PolicyVersion).HasMaxLength(50);
                credit.Property(c => c.CheckedBy).HasMaxLength(100);
            });
            @case.OwnsMany(c => c.Tasks, task =>
            {
                task.ToTable("case_tasks");
                task.WithOwner().HasForeignKey("ContactId");
                task.HasKey("ContactId", nameof(CaseTask.Name));
                task.Property(t => t.Name).HasMaxLength(100);
                task.Property(t => t.By).HasMaxLength(100);
                task.Property(t => t.Evidence).HasMaxLength(2000);
            });
        });
        modelBuilder.Entity<Interaction>(interaction =>
        {
            interaction.ToTable("interactions");
            interaction.HasKey(i => i.Id);
            interaction.Property(i => i.Id).ValueGeneratedNever();
            interaction.HasOne<QualificationCase>().WithMany().HasForeignKey(i => i.ContactId);
            interaction.HasIndex(i => new { i.ContactId, i.OccurredAt, i.Id });
            interaction.Property(i => i.Kind).HasConversion<string>().HasMaxLength(20);
            interaction.Property(i => i.Summary).HasMaxLength(2000);
            interaction.Property(i => i.LoggedBy).HasMaxLength(100);
        });
    }
}

public sealed class SqliteQualificationDbContext(DbContextOptions<SqliteQualificationDbContext> options)
    : QualificationDbContext(options);

public sealed class SqlServerQualificationDbContext(DbContextOptions<SqlServerQualificationDbContext> options)
    : QualificationDbContext(options);

public sealed class PostgresQualificationDbContext(DbContextOptions<PostgresQualificationDbContext> options)
    : QualificationDbContext(options);

public sealed class SqliteQualificationDesignFactory : IDesignTimeDbContextFactory<SqliteQualificationDbContext>
{
    public SqliteQualificationDbContext CreateDbContext(string[] args) =>
        new(DesignTime.Sqlite<SqliteQualificationDbContext>());
}

public sealed class SqlServerQualificationDesignFactory : IDesignTimeDbContextFactory<SqlServerQualificationDbContext>
{
    public SqlServerQualificationDbContext CreateDbContext(string[] args) =>
        new(DesignTime.SqlServer<SqlServerQualificationDbContext>());
}

public sealed class PostgresQualificationDesignFactory : IDesignTimeDbContextFactory<PostgresQualificationDbContext>
{
    public PostgresQualificationDbContext CreateDbContext(string[] args) => new(DesignTime.Postgres<PostgresQualificationDbContext>());
}
