using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Outbox;
using MassTransit;
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
        var connectionString = builder.Configuration.GetConnectionString(ConnectionName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionName} is not set (the AppHost sets it).");

        builder.Services.AddMassTransit(bus =>
        {
            // MassTransit 8.5 reports usage to its vendor unless told not to; the services make no calls outside the
            // deployment (and where there is no internet every start logged the failed report).
            bus.DisableUsageTelemetry();
            var names = new KebabCaseEndpointNameFormatter(serviceName, includeNamespace: false);
            bus.SetEndpointNameFormatter(names);
            var consumers = new StageConsumers(bus, names);
            addConsumers(consumers);
            builder.Services.AddSingleton(consumers);
            // Endpoints are connected by the keeper, not configured with the bus, so that a stuck one can be replaced.
            bus.UsingRabbitMq((_, rabbit) => rabbit.Host(new Uri(connectionString)));
        });
        builder.Services.AddSingleton(_ => new QueueConsumers(connectionString, serviceName));
        builder.Services.AddHostedService<ReceiveEndpointKeeper>();
        return builder;
    }

    /// <summary>Publishes what <typeparamref name="TContext"/>'s outbox holds.</summary>
    public static IHostApplicationBuilder AddOutboxRelay<TContext>(this IHostApplicationBuilder builder)
        where TContext : StageDbContext
    {
        builder.Services.Configure<OutboxOptions>(builder.Configuration.GetSection("Outbox"));
        builder.Services.AddHostedService<OutboxRelay<TContext>>();
        return builder;
    }
}
