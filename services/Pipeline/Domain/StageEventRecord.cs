namespace Funnel.Pipeline.Domain;

/// <summary>A stage event as Pipeline keeps it: the store the read model is built (and rebuilt) from.</summary>
public sealed class StageEventRecord
{
    public Guid EventId { get; init; }
    public Guid ContactId { get; init; }

    /// <summary>The contract's name, e.g. <c>LeadQualified</c>.</summary>
    public required string Type { get; init; }

    public required string Stage { get; init; }
    public required string Owner { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public IReadOnlyList<string> Unmet { get; init; } = [];

    /// <summary>The loss reason, for <c>ContactLost</c>.</summary>
    public string? Reason { get; init; }

    /// <summary>The whole event as JSON, so later projections can use fields not lifted into columns.</summary>
    public required string Payload { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The W3C trace the event travelled in, so ops can open the hand-off's trace from the journey.</summary>
    public string? TraceId { get; init; }
}
