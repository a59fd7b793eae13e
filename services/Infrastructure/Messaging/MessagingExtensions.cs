using Funnel.Infrastructure.Data;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Funnel.Infrastructure.Messaging;

public static class MessagingExtensions
{
    public const string ConnectionName = "messaging";

    /// <summary>
    /// MassTransit on RabbitMQ, with the stage's consumers on endpoints that <see cref="ReceiveEndpointKeeper"/>
    /// connects and replaces when they stop consuming.
    /// </summary>
    public static IHostApplicationBuilder AddStageMessaging(
        this IHostApplicationBuilder builder, string serviceName, Action<StageConsumers> addConsumers)
    {
        var broker = new BrokerAddress(builder.Configuration.GetConnectionString(ConnectionName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionName} is not set (the AppHost sets it)."));
        builder.Services.Configure<MessagingOptions>(builder.Configuration.GetSection("Messaging"));
        builder.Services.AddSingleton(broker);
        builder.Services.AddSingleton(new ServiceName(serviceName));

        builder.Services.AddMassTransit(bus =>
        {
            // MassTransit 8.5 reports usage to its vendor unless told not to; the services make no calls outside the
            // deployment (and where there is no internet every start logged the failed report).
            bus.DisableUsageTelemetry();
            // A lost broker leaves the service ready (Degraded): reads work and writes land in the outbox, which the
            // relay sends once the broker is back. Only the database decides readiness.
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.MinimalFailureStatus = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded;
            });
            var names = new KebabCaseEndpointNameFormatter(serviceName, includeNamespace: false);
            bus.SetEndpointNameFormatter(names);
            var consumers = new StageConsumers(bus, names);
            addConsumers(consumers);
            builder.Services.AddSingleton(consumers);
            // Endpoints are connected by the keeper, not configured with the bus, so that a stuck one can be replaced.
            bus.UsingRabbitMq((_, rabbit) => broker.Configure(rabbit, serviceName));
        });
        builder.Services.AddSingleton(_ => new QueueConsumers(broker, serviceName));
        builder.Services.AddSingleton(services => ActivatorUtilities.CreateInstance<Redelivery>(services, serviceName));
        builder.Services.AddHostedService<ReceiveEndpointKeeper>();
        return builder;
    }

    public const string ReplayErrorsPath = "/admin/errors/replay";

    /// <summary>
    /// <c>POST /admin/errors/replay</c>: moves what sits in the service's <c>_error</c> queues back to be consumed again
    /// (after the cause is fixed). An operator's command (the dashboard's "Replay failed messages"), not routed by the
    /// gateway.
    /// </summary>
    public static void MapReplayErrors(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<Redelivery>() is null)
        {
            return;
        }
        app.MapPost(ReplayErrorsPath,
                async (StageConsumers consumers, Redelivery redelivery, CancellationToken cancellationToken) =>
                {
                    var replayed = new Dictionary<string, int>();
                    foreach (var endpoint in consumers.Endpoints)
                    {
                        replayed[endpoint.Queue] = await redelivery.ReplayErrorsAsync(endpoint.Queue, cancellationToken);
                    }
                    return TypedResults.Ok(replayed);
                })
            .RequireAuthorization(policy => policy.RequireRole(FunnelAuth.Manager))
            .WithName("ReplayFailedMessages");
    }
}
