using Funnel.Contracts;
using Funnel.Infrastructure.Domain;

namespace Funnel.Pipeline.Domain;

/// <summary>
/// A stage event as Pipeline keeps it: the store the read model is built (and rebuilt) from. The fields the
/// projections use are lifted into columns; the whole event stays in <see cref="Payload"/>.
/// </summary>
public sealed class StageEventRecord : IHoldsPersonalData
{
    public Guid EventId { get; init; }
    public Guid ContactId { get; init; }

    /// <summary>The contract's name, e.g. <c>LeadQualified</c>.</summary>
    public required string Type { get; init; }

    public required string Stage { get; init; }
    public required string Owner { get; init; }
    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>The publishing stage's count of its events about the contact (0 in older events).</summary>
    public long Sequence { get; init; }

    /// <summary>
    /// The event's step in the journey, from its stage and type (<see cref="FoldPosition.StepOf"/>); stored so that a
    /// page of a contact's events is read in the journey's order. What is read back is ignored: it is always derived.
    /// </summary>
    public int Step
    {
        get => FoldPosition.StepOf(Stage, Type);
        private set { }
    }

    public IReadOnlyList<string> Unmet { get; init; } = [];

    /// <summary>The contact's name and company, from the events that carry them.</summary>
    public string? Name { get; set; }
    public string? Company { get; set; }

    /// <summary>The loss reason, for <c>ContactLost</c>.</summary>
    public string? Reason { get; init; }

    /// <summary>A quote's or an order's total, for <c>QuoteSent</c>, <c>QuoteAccepted</c> and <c>OrderPlaced</c>.</summary>
    public string? Currency { get; init; }
    public long? AmountMinor { get; init; }

    /// <summary>For <c>OpportunityProgressed</c>.</summary>
    public int? PercentComplete { get; init; }
    public DateOnly? ExpectedCloseDate { get; init; }

    public required string Payload { get; set; }
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The W3C trace the event travelled in, so ops can open the hand-off's trace from the journey.</summary>
    public string? TraceId { get; init; }

    /// <summary>The event keeps its ids, stage, owner, times and amounts; its name and company go.</summary>
    public void ErasePersonalData()
    {
        Name = Company = null;
        Payload = PersonalData.Scrub(Payload);
    }

    public Money? Amount => Currency is not null && AmountMinor is { } minor ? new Money(Currency, minor) : null;

    /// <summary>The record of <paramref name="stageEvent"/>, with the fields its type carries lifted out.</summary>
    public static StageEventRecord From<TEvent>(TEvent stageEvent, string payload, DateTimeOffset receivedAt, string? traceId)
        where TEvent : IContactEvent
    {
        var (name, company) = stageEvent switch
        {
            LeadCaptured e => (e.Name, e.Company),
            LeadQualified e => (e.Name, e.Company),
            ProspectQualified e => (e.Name, e.Company),
            QuoteAccepted e => (e.Name, e.Company),
            _ => ((string?)null, (string?)null),
        };
        var amount = stageEvent switch
        {
            QuoteSent e => e.Total,
            QuoteAccepted e => e.Total,
            OrderPlaced e => e.Total,
            _ => null,
        };
        var progress = stageEvent as OpportunityProgressed;
        return new StageEventRecord
        {
            EventId = stageEvent.EventId,
            ContactId = stageEvent.ContactId,
            Type = typeof(TEvent).Name,
            // A reassignment moves no stage: it has none.
            Stage = (stageEvent as IStageEvent)?.Stage ?? "",
            Owner = stageEvent.Owner,
            OccurredAt = stageEvent.OccurredAt,
            Sequence = stageEvent.Sequence,
            Unmet = (stageEvent as IStageEvent)?.Unmet ?? [],
            Name = name,
            Company = company,
            Reason = (stageEvent as ContactLost)?.Reason,
            Currency = amount?.Currency,
            AmountMinor = amount?.MinorUnits,
            PercentComplete = progress?.PercentComplete,
            ExpectedCloseDate = progress?.ExpectedCloseDate,
            Payload = payload,
            ReceivedAt = receivedAt,
            TraceId = traceId,
        };
    }
}
