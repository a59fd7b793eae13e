using Funnel.Contracts;

namespace Funnel.Pipeline.Domain;

public enum JourneyStatus { Open, Won, Lost }

public enum StageOutcome { Advanced, Lost }

/// <summary>One event of the journey, with the trace it travelled in.</summary>
public sealed record JourneyEvent(Guid EventId, string Type, string Stage, DateTimeOffset OccurredAt, string? TraceId);

public sealed record StageVisit(string Stage, DateTimeOffset EnteredAt, DateTimeOffset? LeftAt, StageOutcome? Outcome, string? Reason);

/// <summary>Where a contact stands: its stage, owner, the stages it went through, and what must happen next.</summary>
public sealed record Journey(
    Guid ContactId, string Stage, JourneyStatus Status, string Owner, IReadOnlyList<StageVisit> History,
    IReadOnlyList<string> Next, DateTimeOffset LastActivityAt, IReadOnlyList<JourneyEvent> Events)
{
    /// <summary>
    /// Folds a contact's events in the order they happened (<c>OccurredAt</c>, then event id), so the same events
    /// give the same journey whatever order and however often they were delivered.
    /// </summary>
    public static Journey? From(Guid contactId, IEnumerable<StageEventRecord> events)
    {
        var ordered = events.DistinctBy(e => e.EventId).OrderBy(e => e.OccurredAt).ThenBy(e => e.EventId).ToList();
        if (ordered.Count == 0)
        {
            return null;
        }

        var history = new List<StageVisit>();
        var status = JourneyStatus.Open;
        var owner = "";
        IReadOnlyList<string> next = [];
        foreach (var e in ordered)
        {
            owner = e.Owner.Length > 0 ? e.Owner : owner;
            var current = history.Count > 0 ? history[^1] : null;
            // A new visit starts on a change of stage, or when a lost contact comes back (a reopened lead).
            if (current is null || current.Stage != e.Stage || current.Outcome == StageOutcome.Lost)
            {
                status = JourneyStatus.Open;
                if (current is { LeftAt: null })
                {
                    history[^1] = current with { LeftAt = e.OccurredAt, Outcome = StageOutcome.Advanced };
                }
                history.Add(new StageVisit(e.Stage, e.OccurredAt, null, null, null));
            }

            if (e.Type == nameof(ContactLost))
            {
                history[^1] = history[^1] with { LeftAt = e.OccurredAt, Outcome = StageOutcome.Lost, Reason = e.Reason };
                status = JourneyStatus.Lost;
            }
            else if (e.Type == nameof(OrderPlaced))
            {
                status = JourneyStatus.Won;
            }
            next = e.Unmet;
        }

        return new Journey(contactId, history[^1].Stage, status, owner, history,
            status == JourneyStatus.Open ? next : [], ordered[^1].OccurredAt,
            ordered.Select(e => new JourneyEvent(e.EventId, e.Type, e.Stage, e.OccurredAt, e.TraceId)).ToList());
    }
}
