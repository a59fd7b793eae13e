namespace Funnel.Infrastructure.Domain;

/// <summary>
/// An entry of a record's log (a case's interactions, an opportunity's activities). Entries are rows of their own,
/// not part of the record: a move loads none of them, so the thousandth costs what the first did, and the record
/// keeps only what its rules need of them (a count, a flag).
/// </summary>
public interface ILogEntry : IHoldsPersonalData
{
    Guid Id { get; }
    DateTimeOffset OccurredAt { get; }
}
