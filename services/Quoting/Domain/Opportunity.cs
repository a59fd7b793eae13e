using Funnel.Infrastructure;
using Funnel.Infrastructure.Http;

namespace Funnel.Quoting.Domain;

public enum OpportunityStatus { Open, Won, Lost }

public enum ActivityKind { Demo, Sample, Meeting, Call, Email }

/// <summary>A prospect being worked towards a sale: activities, progress, quotes.</summary>
public sealed class Opportunity : IOwnedRecord
{
    public Guid ContactId { get; init; }
    public required string Owner { get; set; }
    public required string Name { get; init; }
    public string? Company { get; init; }
    public OpportunityStatus Status { get; private set; } = OpportunityStatus.Open;
    public DateTimeOffset OpenedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public string? LostReason { get; private set; }

    /// <summary>The credit Qualification approved, when its gate asked for one.</summary>
    public string? CreditCurrency { get; init; }
    public long? CreditLimitMinor { get; init; }

    public int PercentComplete { get; private set; }

    /// <summary>Once the salesperson sets the percent, milestone defaults no longer touch it.</summary>
    public bool PercentSetByHand { get; private set; }

    public DateOnly? ExpectedCloseDate { get; private set; }
    public List<Activity> Activities { get; init; } = [];
    public List<Quote> Quotes { get; init; } = [];
    public int Revision { get; set; }

    /// <summary>The newest quote; older ones are superseded by it.</summary>
    public Quote? CurrentQuote => Quotes.MaxBy(q => q.Version);

    public Activity LogActivity(ActivityKind kind, string summary, DateTimeOffset occurredAt, string by)
    {
        EnsureOpen();
        var activity = new Activity
        {
            Id = Guid.CreateVersion7(), Kind = kind, Summary = summary, OccurredAt = occurredAt, By = by,
        };
        Activities.Add(activity);
        Revision++;
        return activity;
    }

    /// <summary>The salesperson's own estimate; the close date may not lie in the past.</summary>
    public void SetProgress(int percentComplete, DateOnly? expectedCloseDate, DateOnly today)
    {
        EnsureOpen();
        if (percentComplete is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(percentComplete), "Percent complete is 0 to 100.");
        }
        if (expectedCloseDate < today)
        {
            throw new ArgumentOutOfRangeException(nameof(expectedCloseDate), "The expected close date is in the past.");
        }
        PercentComplete = percentComplete;
        PercentSetByHand = true;
        ExpectedCloseDate = expectedCloseDate;
        Revision++;
    }

    /// <summary>Raises the percent to a milestone's default unless the salesperson set it; true if it changed.</summary>
    public bool ReachMilestone(string milestone, IReadOnlyDictionary<string, int> defaults)
    {
        if (PercentSetByHand || !defaults.TryGetValue(milestone, out var percent) || percent <= PercentComplete)
        {
            return false;
        }
        PercentComplete = Math.Clamp(percent, 0, 100);
        Revision++;
        return true;
    }

    public Quote DraftQuote(string currency, DateOnly validUntil, IReadOnlyList<QuoteLineItem> lines, DateTimeOffset now)
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
            TotalMinor = lines.Sum(l => l.TotalMinor),
        };
        Quotes.Add(quote);
        Revision++;
        return quote;
    }

    public void Send(Quote quote, DateTimeOffset now)
    {
        EnsureOpen();
        if (quote.Status != QuoteStatus.Draft)
        {
            throw new InvalidQuoteTransitionException(
                $"Quote {quote.QuoteId} is {quote.Status.ToString().ToLowerInvariant()}; only a draft can be sent.");
        }
        quote.Status = QuoteStatus.Sent;
        quote.SentAt = now;
        Revision++;
    }

    /// <summary>The accept gate's tasks that <paramref name="quote"/> has done.</summary>
    public IReadOnlySet<string> DoneTasks(Quote? quote, DateOnly today)
    {
        var done = new HashSet<string>();
        if (Activities.Any(a => a.Kind is ActivityKind.Demo or ActivityKind.Sample))
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
        return done;
    }

    public void Accept(Quote quote, DateTimeOffset now, string gateVersion)
    {
        EnsureOpen();
        if (quote.Status != QuoteStatus.Sent)
        {
            throw new InvalidQuoteTransitionException(
                $"Quote {quote.QuoteId} is {quote.Status.ToString().ToLowerInvariant()}; only a sent quote can be accepted.");
        }
        quote.Status = QuoteStatus.Accepted;
        quote.DecidedAt = now;
        quote.AcceptedUnderGate = gateVersion;
        Status = OpportunityStatus.Won;
        ClosedAt = now;
        PercentComplete = 100;
        Revision++;
    }

    public void Reject(Quote quote, string reason, DateTimeOffset now)
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
        Revision++;
    }

    public void Lose(string reason, DateTimeOffset now)
    {
        EnsureOpen();
        Status = OpportunityStatus.Lost;
        ClosedAt = now;
        LostReason = reason;
        Revision++;
    }

    private void EnsureOpen()
    {
        if (Status != OpportunityStatus.Open)
        {
            throw new InvalidQuoteTransitionException(
                $"The opportunity of {ContactId} is {Status.ToString().ToLowerInvariant()}; it can no longer change.");
        }
    }
}

public sealed class Activity
{
    public Guid Id { get; init; }
    public ActivityKind Kind { get; init; }
    public required string Summary { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public required string By { get; init; }
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

    public static readonly IReadOnlySet<string> Known =
        new HashSet<string> { QuoteSent, QuoteValid, QuoteCurrent, DemoOrSample };
}

/// <summary>Section <c>Progress</c>: the default percent complete per milestone.</summary>
public sealed class ProgressOptions
{
    public Dictionary<string, int> Milestones { get; set; } = [];
}
