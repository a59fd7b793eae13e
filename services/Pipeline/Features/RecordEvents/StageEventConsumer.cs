using System.Diagnostics;
using System.Text.Json;
using Funnel.Contracts;
using Funnel.Pipeline.Data;
using Funnel.Pipeline.Domain;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Funnel.Pipeline.Features.RecordEvents;

/// <summary>
/// Keeps every stage event once, keyed by its EventId: a redelivered event finds its row and changes nothing. All
/// event types share one queue (<c>pipeline-stage-event</c>).
/// </summary>
public sealed class StageEventConsumer(PipelineDbContext db, TimeProvider time) :
    IConsumer<LeadCaptured>, IConsumer<LeadQualified>, IConsumer<ProspectQualified>, IConsumer<OpportunityProgressed>,
    IConsumer<QuoteSent>, IConsumer<QuoteAccepted>, IConsumer<OrderPlaced>, IConsumer<ContactLost>,
    IConsumer<ChecklistChanged>, IConsumer<LeadReopened>
{
    public Task Consume(ConsumeContext<LeadCaptured> context) => Record(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<LeadQualified> context) => Record(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<ProspectQualified> context) => Record(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<OpportunityProgressed> context) => Record(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<QuoteSent> context) => Record(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<QuoteAccepted> context) => Record(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<OrderPlaced> context) => Record(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<ContactLost> context) => Record(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<ChecklistChanged> context) => Record(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<LeadReopened> context) => Record(context.Message, context.CancellationToken);

    private async Task Record<TEvent>(TEvent stageEvent, CancellationToken cancellationToken) where TEvent : IStageEvent
    {
        if (await db.Events.AnyAsync(e => e.EventId == stageEvent.EventId, cancellationToken))
        {
            return;
        }
        db.Events.Add(new StageEventRecord
        {
            EventId = stageEvent.EventId,
            ContactId = stageEvent.ContactId,
            Type = typeof(TEvent).Name,
            Stage = stageEvent.Stage,
            Owner = stageEvent.Owner,
            OccurredAt = stageEvent.OccurredAt,
            Unmet = stageEvent.Unmet,
            Reason = (stageEvent as ContactLost)?.Reason,
            Payload = JsonSerializer.Serialize(stageEvent, JsonSerializerOptions.Web),
            ReceivedAt = time.GetUtcNow(),
            TraceId = Activity.Current?.TraceId.ToHexString(),
        });
        // A racing duplicate fails on the key, is retried by MassTransit, and then finds the row above.
        await db.SaveChangesAsync(cancellationToken);
    }
}
