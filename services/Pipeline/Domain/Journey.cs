using Funnel.Contracts;

namespace Funnel.Pipeline.Domain;

public enum JourneyStatus { Open, Won, Lost }

public enum StageOutcome { Advanced, Lost }

/// <summary>One event of the journey, with the trace it travelled in.</summary>
public sealed record JourneyEvent(Guid EventId, string Type, string Stage, DateTimeOffset OccurredAt, string? TraceId);

public sealed record StageVisit(
    string Stage, DateTimeOffset EnteredAt, DateTimeOffset? LeftAt, StageOutcome? Outcome, string? Reason);

/// <summary>
/// Where a contact stands: its stage, owner, the stages it went through, what must happen next, and the figures the
/// board and the funnel need (progress, the open quote, the won order).
/// </summary>
public sealed record Journey(
    Guid ContactId, string? Name, string? Company, string Stage, JourneyStatus Status, string Owner,
    DateTimeOffset CapturedAt, DateTimeOffset StageEnteredAt, DateTimeOffset LastActivityAt,
    IReadOnlyList<StageVisit> History, IReadOnlyList<string> Next, int? PercentComplete, DateOnly? ExpectedCloseDate,
    Money? OpenQuote, Money? WonValue, DateTimeOffset? WonAt, IReadOnlyList<JourneyEvent> Events)
{
    /// <summary>
    /// Folds a contact's events in the order they happened, so the same events give the same journey whatever order
    /// and however often they were delivered. The order does not trust clocks: a contact only moves forward, so the
    /// stage comes first; within a stage, the hand-off that entered it, then the owning stage's own count
    /// (<see cref="IContactEvent.Sequence"/>); time and event id only order events from before the count existed.
    /// A reassignment moves no stage: the latest one, by Leads' count, names the owner, whatever the stages' events
    /// carried before they heard of it.
    /// </summary>
    public static Journey? From(Guid contactId, IEnumerable<StageEventRecord> events)
    {
        var distinct = events.DistinctBy(e => e.EventId).ToList();
        var reassigned = distinct.Where(e => e.Type == nameof(ContactReassigned))
            .MaxBy(e => (e.Sequence, e.OccurredAt))?.Owner;
        var ordered = distinct.Where(e => e.Type != nameof(ContactReassigned))
            .OrderBy(e => Stages.Rank(e.Stage))
            .ThenBy(e => EntersStage(e.Type) ? 0 : 1)
            .ThenBy(e => e.Sequence)
            .ThenBy(e => e.OccurredAt)
            .ThenBy(e => e.EventId)
            .ToList();
        if (ordered.Count == 0)
        {
            return null;
        }

        var history = new List<StageVisit>();
        var status = JourneyStatus.Open;
        string owner = "";
        string? name = null, company = null;
        IReadOnlyList<string> next = [];
        int? percent = null;
        DateOnly? expectedClose = null;
        Money? quoted = null, won = null;
        DateTimeOffset? wonAt = null;
        foreach (var e in ordered)
        {
            owner = e.Owner.Length > 0 ? e.Owner : owner;
            name = e.Name ?? name;
            company = e.Company ?? company;
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

            switch (e.Type)
            {
                case nameof(ContactLost):
                    history[^1] = history[^1] with { LeftAt = e.OccurredAt, Outcome = StageOutcome.Lost, Reason = e.Reason };
                    status = JourneyStatus.Lost;
                    break;
                case nameof(OrderPlaced):
                    status = JourneyStatus.Won;
                    won = e.Amount;
                    wonAt = e.OccurredAt;
                    break;
                case nameof(OpportunityProgressed):
                    percent = e.PercentComplete;
                    expectedClose = e.ExpectedCloseDate;
                    break;
                case nameof(QuoteSent):
                    quoted = e.Amount;
                    break;
            }
            next = e.Unmet;
        }

        var open = status == JourneyStatus.Open;
        return new Journey(contactId, name, company, history[^1].Stage, status, reassigned ?? owner, ordered[0].OccurredAt,
            history[^1].EnteredAt, ordered.Max(e => e.OccurredAt), history, open ? next : [], percent, expectedClose,
            open && history[^1].Stage == Stages.Prospect ? quoted : null, won, wonAt,
            ordered.Select(e => new JourneyEvent(e.EventId, e.Type, e.Stage, e.OccurredAt, e.TraceId)).ToList());
    }

    /// <summary>The hand-offs: each is the first event of the stage it enters, whichever service's clock stamped it.</summary>
    private static bool EntersStage(string type) =>
        type is nameof(LeadCaptured) or nameof(LeadQualified) or nameof(ProspectQualified) or nameof(OrderPlaced);
}
