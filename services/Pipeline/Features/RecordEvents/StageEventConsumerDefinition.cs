using Funnel.Contracts;
using MassTransit;

namespace Funnel.Pipeline.Features.RecordEvents;

/// <summary>
/// One contact's events are folded one at a time within an endpoint (a partition per contact id); different contacts
/// still go in parallel. Across replicas, and when an endpoint replaced after a broker outage runs next to the old one
/// still finishing a delivery, the journey row's revision catches the race and the retry refolds
/// (<see cref="JourneyProjection"/>).
/// </summary>
public sealed class StageEventConsumerDefinition : ConsumerDefinition<StageEventConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint,
        IConsumerConfigurator<StageEventConsumer> consumer, IRegistrationContext context)
    {
        var partitioner = endpoint.CreatePartitioner(Environment.ProcessorCount * 8);
        void ByContact<TEvent>() where TEvent : class, IContactEvent =>
            consumer.Message<TEvent>(message => message.UsePartitioner(partitioner, c => c.Message.ContactId));

        ByContact<LeadCaptured>();
        ByContact<LeadQualified>();
        ByContact<LeadReopened>();
        ByContact<ChecklistChanged>();
        ByContact<ProspectQualified>();
        ByContact<OpportunityProgressed>();
        ByContact<QuoteSent>();
        ByContact<QuoteAccepted>();
        ByContact<OrderPlaced>();
        ByContact<ContactLost>();
        ByContact<ContactReassigned>();
    }
}
