using Funnel.Contracts;

namespace Funnel.Pipeline.Domain;

public enum JourneyStatus { Open, Won, Lost }

public enum StageOutcome { Advanced, Lost }

/// <summary>One event of the journey, with the trace it travelled in.</summary>
public sealed record JourneyEvent(Guid EventId, string Type, string Stage, DateTimeOffset OccurredAt, string? TraceId);

public sealed record StageVisit(
    string Stage, DateTimeOffset EnteredAt, DateTimeOffset? LeftAt, StageOutcome? Outcome, string? Reason);

/// <summary>
/// An event's place in its contact's journey. The order does not trust clocks: a contact only moves forward, so the
/// stage comes first; within a stage, the hand-off that entered it, then the owning stage's own count
/// (<see cref="IContactEvent.Sequence"/>); time and event id only order events from before the count existed.
/// </summary>
public readonly record struct FoldPosition(int Step, long Sequence, DateTimeOffset OccurredAt, Guid EventId)
    : IComparable<FoldPosition>
{
    public static FoldPosition Of(StageEventRecord e) => new(e.Step, e.Sequence, e.OccurredAt, e.EventId);

    /// <summary>Two steps per stage: its hand-off, then the rest of its events.</summary>
    public static int StepOf(string stage, string type) => Stages.Rank(stage) * 2 + (EntersStage(type) ? 0 : 1);

    public int CompareTo(FoldPosition other) =>
        (Step, Sequence, OccurredAt, EventId).CompareTo((other.Step, other.Sequence, other.OccurredAt, other.EventId));

    /// <summary>The hand-offs: each is the first event of the stage it enters, whichever service's clock stamped it.</summary>
    private static bool EntersStage(string type) =>
        type is nameof(LeadCaptured) or nameof(LeadQualified) or nameof(ProspectQualified) or nameof(OrderPlaced);
}

/// <summary>The latest reassignment, by Leads' count: it names the owner whatever the stages' events carried.</summary>
public sealed record Reassignment(string Owner, long Sequence, DateTimeOffset OccurredAt);

/// <summary>
/// Where the fold stands, beyond what the journey shows: the next event after <see cref="Last"/> is applied to the
/// journey alone, so a contact's thousandth event costs what its first did.
/// </summary>
public sealed record FoldState(
    FoldPosition Last, string StageOwner, IReadOnlyList<string> Unmet, Money? LastQuote, Reassignment? Reassigned);

/// <summary>
/// Where a contact stands: its stage, owner, the stages it went through, what must happen next, and the figures the
/// board and the funnel need (progress, the open quote, the won order). <see cref="Events"/> holds the latest
/// <see cref="RecentEvents"/> of its <see cref="EventCount"/> events.
/// </summary>
public sealed record Journey(
    Guid ContactId, string? Name, string? Company, string Stage, JourneyStatus Status, string Owner,
    DateTimeOffset CapturedAt, DateTimeOffset StageEnteredAt, DateTimeOffset LastActivityAt,
    IReadOnlyList<StageVisit> History, IReadOnlyList<string> Next, int? PercentComplete, DateOnly? ExpectedCloseDate,
    Money? OpenQuote, Money? WonValue, DateTimeOffset? WonAt, IReadOnlyList<JourneyEvent> Events, int EventCount,
    FoldState? Fold)
{
    public const int RecentEvents = 20;

    /// <summary>
    /// Folds a contact's events in their <see cref="FoldPosition"/> order, so the same events give the same journey
    /// whatever order and however often they were delivered. A reassignment moves no stage.
    /// </summary>
    public static Journey? From(Guid contactId, IEnumerable<StageEventRecord> events)
    {
        var fold = new Folding(contactId);
        foreach (var e in events.DistinctBy(e => e.EventId)
                     .OrderBy(e => e.Type == nameof(ContactReassigned) ? 0 : 1).ThenBy(FoldPosition.Of))
        {
            fold.Apply(e);
        }
        return fold.Journey();
    }

    /// <summary>
    /// The journey with <paramref name="e"/> applied, when it comes after every event folded so far (or is a
    /// reassignment); null when it belongs earlier, and only a fold of all the contact's events places it.
    /// </summary>
    public Journey? With(StageEventRecord e)
    {
        if (Fold is null || (e.Type != nameof(ContactReassigned) && FoldPosition.Of(e).CompareTo(Fold.Last) <= 0))
        {
            return null;
        }
        var fold = new Folding(this);
        fold.Apply(e);
        return fold.Journey();
    }

    /// <summary>The fold's running state: what a journey is made of, one event at a time.</summary>
    private sealed class Folding
    {
        private readonly Guid _contactId;
        private readonly List<StageVisit> _history = [];
        private readonly List<JourneyEvent> _recent = [];
        private JourneyStatus _status = JourneyStatus.Open;
        private string _owner = "";
        private string? _name, _company;
        private IReadOnlyList<string> _next = [];
        private int? _percent;
        private DateOnly? _expectedClose;
        private Money? _quoted, _won;
        private DateTimeOffset? _wonAt;
        private DateTimeOffset _capturedAt, _lastActivity;
        private int _count;
        private FoldPosition _last;
        private Reassignment? _reassigned;

        public Folding(Guid contactId) => _contactId = contactId;

        public Folding(Journey j)
        {
            _contactId = j.ContactId;
            _history.AddRange(j.History);
            _recent.AddRange(j.Events);
            _status = j.Status;
            _name = j.Name;
            _company = j.Company;
            _percent = j.PercentComplete;
            _expectedClose = j.ExpectedCloseDate;
            _won = j.WonValue;
            _wonAt = j.WonAt;
            _capturedAt = j.CapturedAt;
            _lastActivity = j.LastActivityAt;
            _count = j.EventCount;
            (_last, _owner, _next, _quoted, _reassigned) = j.Fold!;
        }

        public void Apply(StageEventRecord e)
        {
            if (e.Type == nameof(ContactReassigned))
            {
                if (_reassigned is null || (e.Sequence, e.OccurredAt).CompareTo((_reassigned.Sequence, _reassigned.OccurredAt)) > 0)
                {
                    _reassigned = new Reassignment(e.Owner, e.Sequence, e.OccurredAt);
                }
                return;
            }
            _owner = e.Owner.Length > 0 ? e.Owner : _owner;
            _name = e.Name ?? _name;
            _company = e.Company ?? _company;
            var current = _history.Count > 0 ? _history[^1] : null;
            // A new visit starts on a change of stage, or when a lost contact comes back (a reopened lead).
            if (current is null || current.Stage != e.Stage || current.Outcome == StageOutcome.Lost)
            {
                _status = JourneyStatus.Open;
                if (current is { LeftAt: null })
                {
                    _history[^1] = current with { LeftAt = e.OccurredAt, Outcome = StageOutcome.Advanced };
                }
                _history.Add(new StageVisit(e.Stage, e.OccurredAt, null, null, null));
            }

            switch (e.Type)
            {
                case nameof(ContactLost):
                    _history[^1] = _history[^1] with { LeftAt = e.OccurredAt, Outcome = StageOutcome.Lost, Reason = e.Reason };
                    _status = JourneyStatus.Lost;
                    break;
                case nameof(OrderPlaced):
                    _status = JourneyStatus.Won;
                    _won = e.Amount;
                    _wonAt = e.OccurredAt;
                    break;
                case nameof(OpportunityProgressed):
                    _percent = e.PercentComplete;
                    _expectedClose = e.ExpectedCloseDate;
                    break;
                case nameof(QuoteSent):
                    _quoted = e.Amount;
                    break;
            }
            _next = e.Unmet;
            _capturedAt = _count == 0 ? e.OccurredAt : _capturedAt;
            _lastActivity = _count == 0 || e.OccurredAt > _lastActivity ? e.OccurredAt : _lastActivity;
            _count++;
            _last = FoldPosition.Of(e);
            _recent.Add(new JourneyEvent(e.EventId, e.Type, e.Stage, e.OccurredAt, e.TraceId));
            if (_recent.Count > RecentEvents)
            {
                _recent.RemoveAt(0);
            }
        }

        public Journey? Journey()
        {
            if (_history.Count == 0)
            {
                return null;
            }
            var open = _status == JourneyStatus.Open;
            return new Journey(_contactId, _name, _company, _history[^1].Stage, _status, _reassigned?.Owner ?? _owner,
                _capturedAt, _history[^1].EnteredAt, _lastActivity, _history.ToList(), open ? _next : [], _percent,
                _expectedClose, open && _history[^1].Stage == Stages.Prospect ? _quoted : null, _won, _wonAt,
                _recent.ToList(), _count, new FoldState(_last, _owner, _next, _quoted, _reassigned));
        }
    }
}
