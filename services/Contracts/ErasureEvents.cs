namespace Funnel.Contracts;

/// <summary>
/// A manager asked Leads to erase the contact's personal data (GDPR article 17). Every service erases what it holds
/// of the contact and answers <see cref="ContactErased"/>; ids, amounts, stages and times stay. It carries no personal
/// data itself, and moves no stage.
/// </summary>
public sealed record ContactErasureRequested(
    Guid EventId, Guid ContactId, DateTimeOffset OccurredAt, string Owner, string RequestedBy, long Sequence = 0)
    : IContactEvent;

/// <summary><see cref="Service"/> erased what it held of the contact: Leads marks that service's step done.</summary>
public sealed record ContactErased(
    Guid EventId, Guid ContactId, DateTimeOffset OccurredAt, string Owner, string Service, long Sequence = 0)
    : IContactEvent;
