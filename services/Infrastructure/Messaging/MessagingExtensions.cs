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
    /// MassTransit on RabbitMQ. Queues are named after the service and the consumer (<c>qualification-lead-qualified</c>),
    /// so the replicas of a service compete on one queue while every service gets its own copy of an event.
    /// </summary>
    public static IHostApplicationBuilder AddStageMessaging(
        this IHostApplicationBuilder builder, string serviceName, Action<IBusRegistrationConfigurator> addConsumers)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionName} is not set (the AppHost sets it).");

        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, includeNamespace: false));
            addConsumers(bus);
            bus.AddConfigureEndpointsCallback((_, _, endpoint) =>
                // Transient faults (a busy database, a lost connection) get retried; what still fails goes to the
                // consumer's _error queue with its exception.
                endpoint.UseMessageRetry(retry => retry.Intervals(100, 500, 1_000, 5_000)));
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(new Uri(connectionString));
                rabbit.ConfigureEndpoints(context);
            });
        });
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
