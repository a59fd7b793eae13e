using Microsoft.EntityFrameworkCore;

namespace Funnel.Infrastructure.Data;

/// <summary>Options for building a provider's model without a server: migrations (dotnet ef) and script tests.</summary>
public static class DesignTime
{
    public static DbContextOptions<TContext> Sqlite<TContext>() where TContext : DbContext =>
        new DbContextOptionsBuilder<TContext>().UseSqlite("Data Source=design-time.db").Options;

    public static DbContextOptions<TContext> SqlServer<TContext>() where TContext : DbContext =>
        new DbContextOptionsBuilder<TContext>().UseSqlServer("Server=design-time;Database=design-time").Options;

    public static DbContextOptions<TContext> Postgres<TContext>() where TContext : DbContext =>
        new DbContextOptionsBuilder<TContext>().UseNpgsql("Host=design-time;Database=design-time").Options;
}
