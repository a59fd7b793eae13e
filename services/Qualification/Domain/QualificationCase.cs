using Funnel.Contracts;
using Funnel.Infrastructure.Domain;
using Funnel.Infrastructure.Gates;

namespace Funnel.Qualification.Domain;

public enum CaseStatus { AwaitingFirstInteraction, InProgress, Promoted, Disqualified }

public enum InteractionKind { Call, Meeting, Email, Visit }

/// <summary>A qualified lead being worked: the bridge from first contact details to a prospect.</summary>
public sealed class QualificationCase : StageRecord, IOwnedRecord, IReassignable, IHoldsPersonalData
{
    public required string Owner { get; set; }

    /// <summary>A manager gave the contact to another salesperson (Leads' <c>ContactReassigned</c>).</summary>
    public void Reassign(string owner) => Owner = owner;

    public required string Name { get; set; }
    public string? Company { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public CaseStatus Status { get; private set; } = CaseStatus.AwaitingFirstInteraction;
    public DateTimeOffset OpenedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public string? PromotedUnderGate { get; private set; }
    public string? LostReason { get; private set; }
    public bool? Interested { get; private set; }
    public string? InterestNotes { get; private set; }
    public CreditCheck? CreditCheck { get; private set; }
    public List<CaseTask> Tasks { get; init; } = [];

    /// <summary>
    /// How many interactions were logged. The interactions are rows of their own, not part of the case: logging one
    /// loads none of the others, so the thousandth costs what the first did.
    /// </summary>
    public int InteractionCount { get; private set; }
    public DateTimeOffset? LastInteractionAt { get; private set; }

    public bool IsOpen => Status is CaseStatus.AwaitingFirstInteraction or CaseStatus.InProgress;

    public IReadOnlySet<string> DoneTasks() => Tasks.Select(t => t.Name).ToHashSet();

    /// <summary>A qualified lead arrives from Leads: its case opens, awaiting the first interaction.</summary>
    public static QualificationCase Open(LeadQualified handOff, StageGate gate, DateTimeOffset now)
    {
        var opened = new QualificationCase
        {
            ContactId = handOff.ContactId,
            Owner = handOff.Owner,
            Name = handOff.Name,
            Company = handOff.Company,
            Email = handOff.Email,
            Phone = handOff.Phone,
            OpenedAt = handOff.OccurredAt,
        };
        opened.ChecklistChanged(gate, now);
        return opened;
    }

    /// <summary>Erases the contact's details, the interest notes and the tasks' evidence (each interaction its own).</summary>
    public void ErasePersonalData()
    {
        Name = PersonalData.ErasedName;
        Company = Email = Phone = InterestNotes = null;
        Tasks.ForEach(task => task.Evidence = null);
    }

    /// <summary>Counts the interaction on the case and returns it, to be stored beside the case.</summary>
    public Interaction LogInteraction(InteractionKind kind, string summary, DateTimeOffset occurredAt, string by,
        StageGate gate, DateTimeOffset now)
    {
        EnsureOpen();
        var interaction = new Interaction
        {
            Id = Guid.CreateVersion7(),
            ContactId = ContactId,
            Kind = kind,
            Summary = summary,
            OccurredAt = occurredAt,
            LoggedBy = by,
        };
        InteractionCount++;
        LastInteractionAt = LastInteractionAt > occurredAt ? LastInteractionAt : occurredAt;
        // The first interaction ends the bridge stage's wait.
        Status = CaseStatus.InProgress;
        Done(QualificationTasks.FirstInteraction, occurredAt, by, $"{kind.ToString().ToLowerInvariant()}: {summary}");
        ChecklistChanged(gate, now);
        return interaction;
    }

    public void RecordInterest(bool interested, string? notes, string by, StageGate gate, DateTimeOffset now)
    {
        EnsureOpen();
        Interested = interested;
        InterestNotes = notes;
        if (interested)
        {
            Done(QualificationTasks.InterestConfirmed, now, by, notes);
        }
        else
        {
            Tasks.RemoveAll(t => t.Name == QualificationTasks.InterestConfirmed);
        }
        ChecklistChanged(gate, now);
    }

    public void RecordCreditCheck(CreditCheck check, StageGate gate)
    {
        if (Status == CaseStatus.Promoted)
        {
            // The prospect is Quoting's now, but its credit stays Qualification's: the latest check sets the limit.
            CreditCheck = check;
            Record(sequence => new CreditLimitChanged(Guid.CreateVersion7(), ContactId, check.CheckedAt, Owner,
                check.Approved ? new Money(check.Currency, check.ApprovedMinor) : null, sequence));
            return;
        }
        EnsureOpen();
        CreditCheck = check;
        if (check.Approved)
        {
            Done(QualificationTasks.CreditApproved, check.CheckedAt, check.CheckedBy, check.Reason);
        }
        else
        {
            // A later, rejected check withdraws an earlier approval: the latest evidence counts.
            Tasks.RemoveAll(t => t.Name == QualificationTasks.CreditApproved);
        }
        ChecklistChanged(gate, check.CheckedAt);
    }

    /// <summary>Through the qualification gate: the qualified lead becomes a prospect and is handed to Quoting.</summary>
    public void Promote(StageGate gate, DateTimeOffset at)
    {
        EnsureOpen();
        gate.Ensure(DoneTasks(), $"{Name} cannot be promoted to prospect yet.");
        Status = CaseStatus.Promoted;
        ClosedAt = at;
        PromotedUnderGate = gate.Version;
        // Null when the gate in force did not ask for a credit check.
        var credit = CreditCheck is { Approved: true } approved
            ? new Money(approved.Currency, approved.ApprovedMinor)
            : null;
        Record(sequence => new ProspectQualified(Guid.CreateVersion7(), ContactId, at, Owner, [], gate.Version, Name,
            Company, credit, sequence));
    }

    public void Disqualify(string reason, DateTimeOffset at)
    {
        EnsureOpen();
        Status = CaseStatus.Disqualified;
        ClosedAt = at;
        LostReason = reason;
        Record(sequence => new ContactLost(Guid.CreateVersion7(), ContactId, at, Owner, [], Stages.QualifiedLead,
            reason, sequence));
    }

    /// <summary>Tells the read side what the qualified lead still needs (the hand-off event could not).</summary>
    private void ChecklistChanged(StageGate gate, DateTimeOffset at) =>
        Record(sequence => new ChecklistChanged(Guid.CreateVersion7(), ContactId, at, Owner,
            gate.Unmet(DoneTasks()), Stages.QualifiedLead, sequence));

    private void Done(string task, DateTimeOffset at, string by, string? evidence)
    {
        if (Tasks.Any(t => t.Name == task))
        {
            return;
        }
        Tasks.Add(new CaseTask { Name = task, DoneAt = at, By = by, Evidence = evidence });
    }

    private void EnsureOpen()
    {
        if (!IsOpen)
        {
            throw new InvalidCaseTransitionException(
                $"The case of {ContactId} is {Status.ToString().ToLowerInvariant()}; it can no longer change.");
        }
    }
}

/// <summary>A gate task that has been done, with who did it, when, and the evidence.</summary>
public sealed class CaseTask
{
    public required string Name { get; init; }
    public DateTimeOffset DoneAt { get; init; }
    public required string By { get; init; }
    public string? Evidence { get; internal set; }
}

public sealed class Interaction : ILogEntry
{
    public Guid Id { get; init; }
    public Guid ContactId { get; init; }
    public InteractionKind Kind { get; init; }
    public string Summary { get; internal set; } = "";
    public DateTimeOffset OccurredAt { get; init; }
    public required string LoggedBy { get; init; }

    public void ErasePersonalData() => Summary = PersonalData.ErasedName;
}

public sealed class InvalidCaseTransitionException(string message) : InvalidTransitionException(message);

public static class QualificationTasks
{
    public const string FirstInteraction = "first-interaction";
    public const string InterestConfirmed = "interest-confirmed";
    public const string CreditApproved = "credit-approved";

    public static readonly IReadOnlySet<string> Known =
        new HashSet<string> { FirstInteraction, InterestConfirmed, CreditApproved };
}
