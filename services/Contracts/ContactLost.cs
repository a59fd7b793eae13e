namespace Funnel.Contracts;

/// <summary>The contact left the funnel at <see cref="Stage"/>, always with a reason.</summary>
public sealed record ContactLost(
    Guid EventId, Guid ContactId, DateTimeOffset OccurredAt, string Owner, IReadOnlyList<string> Unmet,
    string Stage, string Reason, long Sequence = 0) : IStageEvent;
