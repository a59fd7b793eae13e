namespace Funnel.Contracts;

/// <summary>
/// A manager gave the contact to another salesperson (in Leads, which keeps the contact's details). It moves no stage:
/// every stage that holds the contact, or receives it later, takes the new owner, and the journey follows. Its
/// <see cref="IContactEvent.Sequence"/> is Leads' count, so of two reassignments the later one wins wherever they
/// arrive in another order.
/// </summary>
public sealed record ContactReassigned(
    Guid EventId, Guid ContactId, DateTimeOffset OccurredAt, string Owner, string PreviousOwner, long Sequence = 0)
    : IContactEvent;
