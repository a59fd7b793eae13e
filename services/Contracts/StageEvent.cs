namespace Funnel.Contracts;

/// <summary>What every stage event carries, so that Pipeline can build journeys from the events alone.</summary>
public interface IStageEvent
{
    Guid EventId { get; }
    Guid ContactId { get; }
    DateTimeOffset OccurredAt { get; }

    /// <summary>The salesperson who owns the contact when the event happened.</summary>
    string Owner { get; }

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
}

/// <summary>Money in integer minor units (cents), so that sums are exact on every database.</summary>
public sealed record Money(string Currency, long MinorUnits);
