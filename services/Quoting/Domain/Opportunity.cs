using Funnel.Contracts;
using Funnel.Infrastructure.Domain;
using Funnel.Infrastructure.Gates;

namespace Funnel.Quoting.Domain;

public enum OpportunityStatus { Open, Won, Lost }

public enum ActivityKind { Demo, Sample, Meeting, Call, Email }

/// <summary>A prospect being worked towards a sale: activities, progress, quotes.</summary>
public sealed class Opportunity : StageRecord, IOwnedRecord, IReassignable, IHoldsPersonalData
{
    public required string Owner { get; set; }

    /// <summary>A manager gave the contact to another salesperson (Leads' <c>ContactReassigned</c>).</summary>
    public void Reassign(string owner) => Owner = owner;

    /// <summary>Erases the contact's name and company (each activity its own summary); quotes and amounts stay.</summary>
    public void ErasePersonalData()
    {
        Name = PersonalData.ErasedName;
        Company = null;
    }

    public required string Name { get; set; }
    public string? Company { get; set; }
    public OpportunityStatus Status { get; private set; } = OpportunityStatus.Open;
    public DateTimeOffset OpenedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public string? LostReason { get; private set; }

    /// <summary>The credit Qualification approved (none: no quote passes <c>within-credit-limit</c>).</summary>
    public string? CreditCurrency { get; private set; }
    public long? CreditLimitMinor { get; private set; }

    /// <summary>Qualification's count of the event that set the limit, so an older change never overrides a newer.</summary>
    public long CreditSequence { get; private set; }

    public int PercentComplete { get; private set; }

    /// <summary>Once the salesperson sets the percent, milestone defaults no longer touch it.</summary>
    public bool PercentSetByHand { get; private set; }

    public DateOnly? ExpectedCloseDate { get; private set; }

    /// <summary>How many activities were logged; they are rows of their own (<see cref="ILogEntry"/>).</summary>
    public int ActivityCount { get; private set; }

    /// <summary>A demo was given or a sample sent: what the accept gate asks of the activities.</summary>
    public bool DemoOrSampleGiven { get; private set; }

    public List<Quote> Quotes { get; init; } = [];

    /// <summary>The newest quote; older ones are superseded by it.</summary>
    public Quote? CurrentQuote => Quotes.MaxBy(q => q.Version);

    /// <summary>One of this opportunity's quotes; a quote of another (or none) is unknown here.</summary>
    public Quote QuoteOf(Guid quoteId) =>
        Quotes.FirstOrDefault(q => q.QuoteId == quoteId) ?? throw new UnknownPartException("quote", quoteId);

    /// <summary>A prospect arrives from Qualification: its opportunity opens at the 'promoted' milestone's percent.</summary>
    public static Opportunity Open(ProspectQualified handOff, StageGate gate, ProgressOptions progress,
        DateTimeOffset now)
    {
        var opened = new Opportunity
        {
            ContactId = handOff.ContactId,
            Owner = handOff.Owner,
            Name = handOff.Name,
            Company = handOff.Company,
            OpenedAt = handOff.OccurredAt,
            CreditCurrency = handOff.ApprovedCreditLimit?.Currency,
            CreditLimitMinor = handOff.ApprovedCreditLimit?.MinorUnits,
            CreditSequence = handOff.Sequence,
        };
        opened.ReachMilestone(QuotingTasks.Promoted, progress, gate, now);
        opened.ChecklistChanged(gate, now);
        return opened;
    }

    /// <summary>Counts the activity on the opportunity and returns it, to be stored beside it.</summary>
    public Activity LogActivity(ActivityKind kind, string summary, DateTimeOffset occurredAt, string by,
        StageGate gate, ProgressOptions progress, DateTimeOffset now)
    {
        EnsureOpen();
        var activity = new Activity
        {
            Id = Guid.CreateVersion7(),
            ContactId = ContactId,
            Kind = kind,
            Summary = summary,
            OccurredAt = occurredAt,
            By = by,
        };
        ActivityCount++;
        if (kind is ActivityKind.Demo or ActivityKind.Sample)
        {
            DemoOrSampleGiven = true;
            ReachMilestone(QuotingTasks.DemoOrSample, progress, gate, now);
        }
        ChecklistChanged(gate, now);
        return activity;
    }

    /// <summary>The salesperson's own estimate; the close date may not lie in the past.</summary>
    public void SetProgress(int percentComplete, DateOnly? expectedCloseDate, StageGate gate, DateTimeOffset now)
    {
        EnsureOpen();
        if (percentComplete is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(percentComplete), "Percent complete is 0 to 100.");
        }
        if (expectedCloseDate < Today(now))
        {
            throw new ArgumentOutOfRangeException(nameof(expectedCloseDate), "The expected close date is in the past.");
        }
        PercentComplete = percentComplete;
        PercentSetByHand = true;
        ExpectedCloseDate = expectedCloseDate;
        Progressed(gate, now);
    }

    public Quote DraftQuote(string currency, DateOnly validUntil, IReadOnlyList<QuoteLineItem> lines, StageGate gate,
        DateTimeOffset now)
    {
        EnsureOpen();
        foreach (var older in Quotes.Where(q => q.Status is QuoteStatus.Draft or QuoteStatus.Sent))
        {
            older.Status = QuoteStatus.Superseded;
        }
        var quote = new Quote
        {
            QuoteId = Guid.CreateVersion7(),
            Version = (Quotes.Count == 0 ? 0 : Quotes.Max(q => q.Version)) + 1,
            Currency = currency,
            ValidUntil = validUntil,
            CreatedAt = now,
            Lines = lines.ToList(),
            TotalMinor = Money.Sum(lines.Select(l => l.TotalMinor)),
        };
        Quotes.Add(quote);
        ChecklistChanged(gate, now);
        return quote;
    }

    /// <summary>A credit check after the promotion: the latest limit counts, an older one arriving late does not.</summary>
    public void ChangeCreditLimit(CreditLimitChanged change, StageGate gate, DateTimeOffset now)
    {
        if (change.Sequence <= CreditSequence)
        {
            return;
        }
        CreditCurrency = change.ApprovedCreditLimit?.Currency;
        CreditLimitMinor = change.ApprovedCreditLimit?.MinorUnits;
        CreditSequence = change.Sequence;
        if (Status == OpportunityStatus.Open)
        {
            ChecklistChanged(gate, now);
        }
    }

    public void Send(Quote quote, StageGate gate, ProgressOptions progress, DateTimeOffset now)
    {
        EnsureOpen();
        if (quote.Status != QuoteStatus.Draft)
        {
            throw new InvalidQuoteTransitionException(
                $"Quote {quote.QuoteId} is {quote.Status.ToString().ToLowerInvariant()}; only a draft can be sent.");
        }
        gate.EnsureTask(QuotingTasks.WithinCreditLimit, DoneTasks(quote, Today(now)),
            $"Quote {quote.QuoteId} exceeds the approved credit limit ({CreditLimitText}).");
        quote.Status = QuoteStatus.Sent;
        quote.SentAt = now;
        Record(sequence => new QuoteSent(Guid.CreateVersion7(), ContactId, now, Owner,
            gate.Unmet(DoneTasks(quote, Today(now))), quote.QuoteId, quote.Version,
            new Money(quote.Currency, quote.TotalMinor), quote.ValidUntil, sequence));
        ReachMilestone(QuotingTasks.QuoteSent, progress, gate, now);
    }

    /// <summary>The accept gate's tasks that <paramref name="quote"/> has done.</summary>
    public IReadOnlySet<string> DoneTasks(Quote? quote, DateOnly today)
    {
        var done = new HashSet<string>();
        if (DemoOrSampleGiven)
        {
            done.Add(QuotingTasks.DemoOrSample);
        }
        if (quote is null)
        {
            return done;
        }
        if (quote.SentAt is not null)
        {
            done.Add(QuotingTasks.QuoteSent);
        }
        if (quote.ValidUntil >= today)
        {
            done.Add(QuotingTasks.QuoteValid);
        }
        if (quote.Status != QuoteStatus.Superseded && quote == CurrentQuote)
        {
            done.Add(QuotingTasks.QuoteCurrent);
        }
        if (CreditLimitMinor is { } limit && CreditCurrency == quote.Currency && quote.TotalMinor <= limit)
        {
            done.Add(QuotingTasks.WithinCreditLimit);
        }
        return done;
    }

    private string CreditLimitText => CreditLimitMinor is { } limit
        ? $"{limit / 100m:0.00} {CreditCurrency}"
        : "none approved";

    /// <summary>Through the accept gate: the prospect accepts and the quote is handed to Orders.</summary>
    public void Accept(Quote quote, StageGate gate, DateTimeOffset now)
    {
        EnsureOpen();
        gate.Ensure(DoneTasks(quote, Today(now)), $"Quote {quote.QuoteId} cannot be accepted.");
        if (quote.Status != QuoteStatus.Sent)
        {
            throw new InvalidQuoteTransitionException(
                $"Quote {quote.QuoteId} is {quote.Status.ToString().ToLowerInvariant()}; only a sent quote can be accepted.");
        }
        quote.Status = QuoteStatus.Accepted;
        quote.DecidedAt = now;
        quote.AcceptedUnderGate = gate.Version;
        Status = OpportunityStatus.Won;
        ClosedAt = now;
        PercentComplete = 100;
        Record(sequence => new QuoteAccepted(Guid.CreateVersion7(), ContactId, now, Owner, [], gate.Version,
            quote.QuoteId, quote.Version, Name, Company,
            quote.Lines.OrderBy(l => l.LineNumber).Select(l => new QuoteLine(l.Sku, l.Description, l.Quantity,
                l.UnitPriceMinor, l.DiscountPercent, l.TotalMinor)).ToList(),
            new Money(quote.Currency, quote.TotalMinor), sequence));
    }

    public void Reject(Quote quote, string reason, StageGate gate, DateTimeOffset now)
    {
        EnsureOpen();
        if (quote.Status is not (QuoteStatus.Draft or QuoteStatus.Sent))
        {
            throw new InvalidQuoteTransitionException(
                $"Quote {quote.QuoteId} is {quote.Status.ToString().ToLowerInvariant()} and cannot be rejected.");
        }
        quote.Status = QuoteStatus.Rejected;
        quote.DecidedAt = now;
        quote.RejectedReason = reason;
        ChecklistChanged(gate, now);
    }

    public void Lose(string reason, DateTimeOffset now)
    {
        EnsureOpen();
        Status = OpportunityStatus.Lost;
        ClosedAt = now;
        LostReason = reason;
        Record(sequence => new ContactLost(Guid.CreateVersion7(), ContactId, now, Owner, [], Stages.Prospect, reason,
            sequence));
    }

    /// <summary>Raises the percent to a milestone's default unless the salesperson set it.</summary>
    private void ReachMilestone(string milestone, ProgressOptions progress, StageGate gate, DateTimeOffset now)
    {
        if (PercentSetByHand || !progress.Milestones.TryGetValue(milestone, out var percent) ||
            percent <= PercentComplete)
        {
            return;
        }
        PercentComplete = Math.Clamp(percent, 0, 100);
        Progressed(gate, now);
    }

    private void Progressed(StageGate gate, DateTimeOffset now) =>
        Record(sequence => new OpportunityProgressed(Guid.CreateVersion7(), ContactId, now, Owner,
            gate.Unmet(DoneTasks(CurrentQuote, Today(now))), PercentComplete, ExpectedCloseDate, sequence));

    /// <summary>Tells the read side what the prospect still needs before a quote can be accepted.</summary>
    private void ChecklistChanged(StageGate gate, DateTimeOffset now) =>
        Record(sequence => new ChecklistChanged(Guid.CreateVersion7(), ContactId, now, Owner,
            gate.Unmet(DoneTasks(CurrentQuote, Today(now))), Stages.Prospect, sequence));

    private static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime);

    private void EnsureOpen()
    {
        if (Status != OpportunityStatus.Open)
        {
            throw new InvalidQuoteTransitionException(
                $"The opportunity of {ContactId} is {Status.ToString().ToLowerInvariant()}; it can no longer change.");
        }
    }
}

public sealed class Activity : ILogEntry
{
    public Guid Id { get; init; }
    public Guid ContactId { get; init; }
    public ActivityKind Kind { get; init; }
    public string Summary { get; internal set; } = "";
    public DateTimeOffset OccurredAt { get; init; }
    public required string By { get; init; }

    public void ErasePersonalData() => Summary = PersonalData.ErasedName;
}

public sealed class InvalidQuoteTransitionException(string message) : InvalidTransitionException(message);

/// <summary>The tasks an accept gate may require, and the milestones that move the percent complete.</summary>
public static class QuotingTasks
{
    public const string QuoteSent = "quote-sent";
    public const string QuoteValid = "quote-valid";
    public const string QuoteCurrent = "quote-current";
    public const string DemoOrSample = "demo-or-sample";
    public const string Promoted = "promoted";

    /// <summary>The quote's total is within the credit Qualification approved, in the quote's currency.</summary>
    public const string WithinCreditLimit = "within-credit-limit";

    public static readonly IReadOnlySet<string> Known =
        new HashSet<string> { QuoteSent, QuoteValid, QuoteCurrent, DemoOrSample, WithinCreditLimit };
}

/// <summary>Section <c>Progress</c>: the default percent complete per milestone.</summary>
public sealed class ProgressOptions
{
    public Dictionary<string, int> Milestones { get; set; } = [];
}
