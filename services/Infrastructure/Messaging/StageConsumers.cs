using MassTransit;

namespace Funnel.Infrastructure.Messaging;

/// <summary>
/// The consumers of a stage service, each on its own queue named after the service and the consumer
/// (<c>qualification-lead-qualified</c>): the replicas of a service compete on one queue while every service gets its
/// own copy of an event. <see cref="ReceiveEndpointKeeper"/> connects and keeps them.
/// </summary>
public sealed class StageConsumers(IBusRegistrationConfigurator bus, IEndpointNameFormatter names)
{
    public sealed record Endpoint(string Queue, Type Consumer);

    private readonly List<Endpoint> _endpoints = [];

    public IReadOnlyList<Endpoint> Endpoints => _endpoints;

    public StageConsumers Add<TConsumer>() where TConsumer : class, IConsumer
    {
        bus.AddConsumer<TConsumer>();
        _endpoints.Add(new Endpoint(names.Consumer<TConsumer>(), typeof(TConsumer)));
        return this;
    }

    public StageConsumers Add<TConsumer, TDefinition>() where TConsumer : class, IConsumer
        where TDefinition : class, IConsumerDefinition<TConsumer>
    {
        bus.AddConsumer<TConsumer, TDefinition>();
        _endpoints.Add(new Endpoint(names.Consumer<TConsumer>(), typeof(TConsumer)));
        return this;
    }
}
