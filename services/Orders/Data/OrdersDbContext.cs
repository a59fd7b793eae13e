using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Messaging;
using Funnel.Orders.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Funnel.Orders.Data;

public abstract class OrdersDbContext(DbContextOptions options) : StageDbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<Customer> Customers => Set<Customer>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.HasOwnerChanges();
        modelBuilder.Entity<Order>(order =>
        {
            order.ToTable("orders");
            order.HasKey(o => o.OrderId);
            order.Property(o => o.OrderId).ValueGeneratedNever();
            order.HasIndex(o => o.QuoteId).IsUnique();
            order.HasIndex(o => o.ContactId);
            order.HasIndex(o => new { o.PlacedAt, o.Owner });
            order.Property(o => o.Owner).HasMaxLength(100);
            order.Property(o => o.Currency).HasMaxLength(3);
            order.OwnsMany(o => o.Lines, line =>
            {
                line.ToTable("order_lines");
                line.WithOwner().HasForeignKey("OrderId");
                line.HasKey("OrderId", nameof(OrderLine.LineNumber));
                line.Property(l => l.LineNumber).ValueGeneratedNever();
                line.Property(l => l.Sku).HasMaxLength(64);
                line.Property(l => l.Description).HasMaxLength(500);
                line.Property(l => l.Quantity).HasPrecision(18, 4);
                line.Property(l => l.DiscountPercent).HasPrecision(5, 2);
            });
        });
        modelBuilder.Entity<Customer>(customer =>
        {
            customer.ToTable("customers");
            customer.HasKey(c => c.ContactId);
            customer.Property(c => c.ContactId).ValueGeneratedNever();
            customer.Property(c => c.Name).HasMaxLength(200);
            customer.Property(c => c.Company).HasMaxLength(200);
            customer.Property(c => c.Owner).HasMaxLength(100);
            customer.Property(c => c.Revision).IsConcurrencyToken();
        });
    }
}

public sealed class SqliteOrdersDbContext(DbContextOptions<SqliteOrdersDbContext> options) : OrdersDbContext(options);

public sealed class SqlServerOrdersDbContext(DbContextOptions<SqlServerOrdersDbContext> options) : OrdersDbContext(options);

public sealed class PostgresOrdersDbContext(DbContextOptions<PostgresOrdersDbContext> options)
    : OrdersDbContext(options);

public sealed class SqliteOrdersDesignFactory : IDesignTimeDbContextFactory<SqliteOrdersDbContext>
{
    public SqliteOrdersDbContext CreateDbContext(string[] args) => new(DesignTime.Sqlite<SqliteOrdersDbContext>());
}

public sealed class SqlServerOrdersDesignFactory : IDesignTimeDbContextFactory<SqlServerOrdersDbContext>
{
    public SqlServerOrdersDbContext CreateDbContext(string[] args) => new(DesignTime.SqlServer<SqlServerOrdersDbContext>());
}

public sealed class PostgresOrdersDesignFactory : IDesignTimeDbContextFactory<PostgresOrdersDbContext>
{
    public PostgresOrdersDbContext CreateDbContext(string[] args) => new(DesignTime.Postgres<PostgresOrdersDbContext>());
}
