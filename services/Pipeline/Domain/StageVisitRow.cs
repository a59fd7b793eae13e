namespace Funnel.Pipeline.Domain;

/// <summary>
/// One visit of a contact to a stage, a row of its own so the funnel is counted in the database: visits that began in
/// a period, how they ended, their time in the stage. Kept in step with the journey's history by the projection.
/// </summary>
public sealed class StageVisitRow
{
    public Guid ContactId { get; init; }

    /// <summary>The visit's place in the contact's history, from 0.</summary>
    public int Number { get; init; }

    public string Stage { get; private set; } = "";
    public string Owner { get; private set; } = "";
    public DateTimeOffset EnteredAt { get; private set; }
    public DateTimeOffset? LeftAt { get; private set; }
    public StageOutcome? Outcome { get; private set; }
    public string? Reason { get; private set; }
    public double? DaysInStage { get; private set; }

    public void Update(StageVisit visit, string owner)
    {
        Stage = visit.Stage;
        Owner = owner;
        EnteredAt = visit.EnteredAt;
        LeftAt = visit.LeftAt;
        Outcome = visit.Outcome;
        Reason = visit.Reason;
        DaysInStage = visit.LeftAt is { } left ? (left - visit.EnteredAt).TotalDays : null;
    }
}
