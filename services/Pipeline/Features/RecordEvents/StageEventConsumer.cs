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
public sealed class StageEventConsumer(PipelineDbContext db, FunnelMetrics metrics, TimeProvider time) :
    IConsumer<LeadCaptured>, IConsumer<LeadQualified>, IConsumer<ProspectQualified>, IConsumer<OpportunityProgressed>,
    IConsumer<QuoteSent>, IConsumer<QuoteAccepted>, IConsumer<OrderPlaced>, IConsumer<ContactLost>,
    IConsumer<ChecklistChanged>, IConsumer<LeadReopened>, IConsumer<ContactReassigned>
{
    public Task Consume(ConsumeContext<LeadCaptured> context) => RecordAsync(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<LeadQualified> context) => RecordAsync(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<ProspectQualified> context) => RecordAsync(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<OpportunityProgressed> context) => RecordAsync(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<QuoteSent> context) => RecordAsync(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<QuoteAccepted> context) => RecordAsync(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<OrderPlaced> context) => RecordAsync(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<ContactLost> context) => RecordAsync(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<ChecklistChanged> context) => RecordAsync(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<LeadReopened> context) => RecordAsync(context.Message, context.CancellationToken);
    public Task Consume(ConsumeContext<ContactReassigned> context) => RecordAsync(context.Message, context.CancellationToken);

    /// <summary>Stores the event once and refolds its contact's journey.</summary>
    public async Task RecordAsync<TEvent>(TEvent stageEvent, CancellationToken cancellationToken) where TEvent : IContactEvent
    {
        // A plain local: EF Core would compile `stageEvent.EventId` (a generic parameter's interface property) into a
        // new delegate on every event.
        var eventId = stageEvent.EventId;
        if (await db.Events.AnyAsync(e => e.EventId == eventId, cancellationToken))
        {
            return;
        }
        var record = StageEventRecord.From(stageEvent, StoredPayload(stageEvent), time.GetUtcNow(),
            Activity.Current?.TraceId.ToHexString());
        db.Events.Add(record);
        await db.ProjectAsync(record, cancellationToken);
        // The event and the contact's refolded row commit together. A racing duplicate fails on the event's key, and
        // a racing event of the same contact on the row's revision; MassTransit retries, and the retry sees both.
        await db.SaveChangesAsync(cancellationToken);
        metrics.Record(record);
    }

    /// <summary>
    /// The event as stored: Pipeline shows a contact's name and company, never how to reach them, so it keeps no email
    /// or phone (the hand-off to Qualification carries them; an older capture did too).
    /// </summary>
    private static string StoredPayload<TEvent>(TEvent stageEvent) where TEvent : IContactEvent
    {
        var payload = JsonSerializer.SerializeToNode(stageEvent, JsonSerializerOptions.Web)!.AsObject();
        payload.Remove("email");
        payload.Remove("phone");
        return payload.ToJsonString();
    }
}
