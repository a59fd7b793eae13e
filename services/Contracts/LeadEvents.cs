namespace Funnel.Contracts;

/// <summary>
/// Leads captured a new lead. No email or phone: only Pipeline reads it, and it shows neither (older messages that
/// carry them are read alike; the fields are ignored).
/// </summary>
public sealed record LeadCaptured(
    Guid EventId, Guid ContactId, DateTimeOffset OccurredAt, string Owner, IReadOnlyList<string> Unmet,
    string Name, string? Company, string Source, long Sequence = 0) : IStageEvent
{
    public string Stage => Stages.Lead;
}

/// <summary>
/// Leads judged the lead worth pursuing and hands it to Qualification, with the email and phone the salesperson there
/// works with.
/// </summary>
public sealed record LeadQualified(
    Guid EventId, Guid ContactId, DateTimeOffset OccurredAt, string Owner, IReadOnlyList<string> Unmet,
    string GateVersion, string Name, string? Company, string? Email, string? Phone, long Sequence = 0) : IStageEvent
{
    public string Stage => Stages.QualifiedLead;
}

/// <summary>Leads reopened a lost lead: the contact is a lead again.</summary>
public sealed record LeadReopened(
    Guid EventId, Guid ContactId, DateTimeOffset OccurredAt, string Owner, IReadOnlyList<string> Unmet, long Sequence = 0) : IStageEvent
{
    public string Stage => Stages.Lead;
}
