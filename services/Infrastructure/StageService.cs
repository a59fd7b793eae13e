using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Http;
using Funnel.Infrastructure.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Funnel.Infrastructure;

/// <summary>
/// What every stage service is made of, written once: the service defaults and HTTP conventions, its database on the
/// configured provider, its consumers on the broker, and for a stage that publishes (a <see cref="StageDbContext"/>)
/// its outbox relay and the purge of what it keeps only for a while. Its API is one route group.
/// </summary>
public static class StageService
{
    public static IHostApplicationBuilder AddStageService<TContext, TSqlite, TSqlServer, TPostgres>(
        this IHostApplicationBuilder builder, string name, Action<StageConsumers>? consumers = null)
        where TContext : DbContext
        where TSqlite : TContext
        where TSqlServer : TContext
        where TPostgres : TContext
    {
        builder.AddServiceDefaults();
        builder.AddStageHttp();
        builder.AddStageDatabase<TContext, TSqlite, TSqlServer, TPostgres>($"{name}-db");
        builder.AddStageMessaging(name, consumers ?? (_ => { }));
        if (typeof(TContext).IsAssignableTo(typeof(StageDbContext)))
        {
            builder.Services.Configure<OutboxOptions>(builder.Configuration.GetSection("Outbox"));
            builder.Services.AddSingleton(typeof(IHostedService), typeof(OutboxRelay<>).MakeGenericType(typeof(TContext)));
            builder.Services.Configure<RetentionOptions>(builder.Configuration.GetSection("Retention"));
            builder.Services.AddSingleton(typeof(IHostedService), typeof(RetentionPurge<>).MakeGenericType(typeof(TContext)));
        }
        return builder;
    }

    /// <summary>
    /// The middleware every stage runs, then the stage's API: the routes under <paramref name="prefix"/>, tagged with
    /// the stage's name in its OpenAPI document.
    /// </summary>
    public static RouteGroupBuilder MapStageApi(this WebApplication app, string prefix, string stage)
    {
        app.UseStageHttp();
        app.MapReplayErrors();
        return app.MapGroup(prefix).WithTags(stage);
    }
}
