using Funnel.Contracts;
using MassTransit;

namespace Funnel.Pipeline.Features.RecordEvents;

/// <summary>
/// One contact's events are folded one at a time (a partition per contact id), so two events of a contact never
/// refold its journey at once; different contacts still go in parallel. Across replicas, the journey row's revision
/// catches the rare race and the retry refolds.
/// </summary>
public sealed class StageEventConsumerDefinition : ConsumerDefinition<StageEventConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint,
        IConsumerConfigurator<StageEventConsumer> consumer, IRegistrationContext context)
    {
        var partitioner = endpoint.CreatePartitioner(Environment.ProcessorCount * 8);
        void ByContact<TEvent>() where TEvent : class, IStageEvent =>
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
    }
}
