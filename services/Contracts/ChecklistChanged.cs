namespace Funnel.Contracts;

/// <summary>
/// The owner of <see cref="Stage"/> opened it for the contact or ticked off one of its tasks. A hand-off event is
/// published by the stage the contact leaves, which cannot know the next stage's gate; the next stage says it here.
/// </summary>
public sealed record ChecklistChanged(
    Guid EventId, Guid ContactId, DateTimeOffset OccurredAt, string Owner, IReadOnlyList<string> Unmet,
    string Stage, long Sequence = 0) : IStageEvent;
