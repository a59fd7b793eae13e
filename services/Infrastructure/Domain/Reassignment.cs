namespace Funnel.Infrastructure.Domain;

/// <summary>A stage's record whose contact a manager can give to another salesperson.</summary>
public interface IReassignable
{
    Guid ContactId { get; }

    void Reassign(string owner);
}

/// <summary>
/// The latest reassignment a stage has heard of for a contact, kept whether or not the contact has reached the stage
/// yet: a reassignment travels on its own queue and can overtake the hand-off it follows.
/// </summary>
public sealed class OwnerChange
{
    public Guid ContactId { get; init; }
    public required string Owner { get; set; }

    /// <summary>Leads' count of the event that made the change (0: the owner the hand-off brought).</summary>
    public long Sequence { get; set; }

    /// <summary>
    /// Moved by every write, the hand-off's included: a hand-off and a reassignment handled at the same moment
    /// conflict on it, and the retry sees the other's commit, so neither can miss the other.
    /// </summary>
    public int Version { get; set; }
}
