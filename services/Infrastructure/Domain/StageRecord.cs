using Funnel.Contracts;

namespace Funnel.Infrastructure.Domain;

/// <summary>
/// A stage's record of one contact (the aggregate): it checks its own moves and gate, and records the events a move
/// causes. Its stage's <c>StageDbContext</c> turns the recorded events into outbox rows and derives
/// <see cref="Revision"/> on save, so no handler publishes or counts revisions by hand.
/// </summary>
public abstract class StageRecord
{
    private readonly List<IContactEvent> _recorded = [];

    public Guid ContactId { get; init; }

    /// <summary>Optimistic concurrency token and ETag: one more on every save that changed the record.</summary>
    public int Revision { get; internal set; }

    /// <summary>
    /// How many events this stage has published about the contact. Each event carries its number, so Pipeline orders
    /// one stage's events without trusting clocks (a tie or another service's clock cannot reorder them).
    /// </summary>
    public long EventSequence { get; private set; }

    /// <summary>The events of the moves made since the last save.</summary>
    public IReadOnlyList<IContactEvent> RecordedEvents => _recorded;

    /// <summary>Records the event <paramref name="make"/> builds with the next sequence number.</summary>
    protected void Record(Func<long, IContactEvent> make) => _recorded.Add(make(++EventSequence));

    internal void ClearRecordedEvents() => _recorded.Clear();
}
