namespace Funnel.Contracts;

/// <summary>What every event about a contact carries.</summary>
public interface IContactEvent
{
    Guid EventId { get; }
    Guid ContactId { get; }
    DateTimeOffset OccurredAt { get; }

    /// <summary>The salesperson who owns the contact when the event happened.</summary>
    string Owner { get; }

    /// <summary>
    /// The publishing stage's count of its events about this contact (1, 2, ...): orders one stage's events without
    /// clocks. 0 in events from before it existed, which are ordered by time.
    /// </summary>
    long Sequence { get; }
}

/// <summary>What every stage event carries, so that Pipeline can build journeys from the events alone.</summary>
public interface IStageEvent : IContactEvent
{
    /// <summary>The stage the contact is in once the event has happened (see <see cref="Stages"/>).</summary>
    string Stage { get; }

    /// <summary>The tasks of <see cref="Stage"/>'s gate still to be done, when the publisher owns that stage.</summary>
    IReadOnlyList<string> Unmet { get; }
}

/// <summary>The funnel's stages, in order, as they appear in events and in the API.</summary>
public static class Stages
{
    public const string Lead = "lead";
    public const string QualifiedLead = "qualified-lead";
    public const string Prospect = "prospect";
    public const string Customer = "customer";

    public static readonly IReadOnlyList<string> InOrder = [Lead, QualifiedLead, Prospect, Customer];

    /// <summary>The stage's place in the funnel (lead 0 ... customer 3); -1 for a name that is not a stage.</summary>
    public static int Rank(string stage) => stage switch
    {
        Lead => 0,
        QualifiedLead => 1,
        Prospect => 2,
        Customer => 3,
        _ => -1,
    };
}

/// <summary>Money in integer minor units (cents), so that sums are exact on every database.</summary>
public sealed record Money(string Currency, long MinorUnits)
{
    /// <summary>
    /// The largest amount of one price, quote, order or credit limit: 10^12 in major units (10^14 cents), so that
    /// about 92,000 of them sum in a long without overflow, and reports sum in parts beyond that.
    /// </summary>
    public const long MaxMinorUnits = 100_000_000_000_000;

    /// <summary>The sum of amounts that are each within <see cref="MaxMinorUnits"/>; throws when the sum is not.</summary>
    public static long Sum(IEnumerable<long> minorUnits)
    {
        long sum = 0;
        foreach (var amount in minorUnits)
        {
            sum = checked(sum + amount);
        }
        return sum is >= -MaxMinorUnits and <= MaxMinorUnits
            ? sum
            : throw new OverflowException($"The sum exceeds the largest amount, {MaxMinorUnits / 100} in major units.");
    }
}
