namespace Funnel.Contracts;

/// <summary>An accepted quote became an order: the contact is a customer and the sale is credited to the owner.</summary>
public sealed record OrderPlaced(
    Guid EventId, Guid ContactId, DateTimeOffset OccurredAt, string Owner, IReadOnlyList<string> Unmet,
    Guid OrderId, Guid QuoteId, Money Total, long Sequence = 0) : IStageEvent
{
    public string Stage => Stages.Customer;
}
