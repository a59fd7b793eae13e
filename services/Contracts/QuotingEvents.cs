namespace Funnel.Contracts;

/// <summary>The prospect's percent complete or expected close date changed.</summary>
public sealed record OpportunityProgressed(
    Guid EventId, Guid ContactId, DateTimeOffset OccurredAt, string Owner, IReadOnlyList<string> Unmet,
    int PercentComplete, DateOnly? ExpectedCloseDate, long Sequence = 0) : IStageEvent
{
    public string Stage => Stages.Prospect;
}

/// <summary>A quote went to the prospect.</summary>
public sealed record QuoteSent(
    Guid EventId, Guid ContactId, DateTimeOffset OccurredAt, string Owner, IReadOnlyList<string> Unmet,
    Guid QuoteId, int Version, Money Total, DateOnly ValidUntil, long Sequence = 0) : IStageEvent
{
    public string Stage => Stages.Prospect;
}

/// <summary>The prospect accepted a quote; Orders turns it into an order.</summary>
public sealed record QuoteAccepted(
    Guid EventId, Guid ContactId, DateTimeOffset OccurredAt, string Owner, IReadOnlyList<string> Unmet,
    string GateVersion, Guid QuoteId, int Version, string Name, string? Company,
    IReadOnlyList<QuoteLine> Lines, Money Total, long Sequence = 0) : IStageEvent
{
    // The contact stays a prospect until Orders has placed the order.
    public string Stage => Stages.Prospect;
}

/// <summary>One priced line of a quote; <see cref="TotalMinor"/> is after the discount.</summary>
public sealed record QuoteLine(
    string Sku, string Description, decimal Quantity, long UnitPriceMinor, decimal DiscountPercent, long TotalMinor);
