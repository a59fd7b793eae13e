namespace Funnel.Contracts;

/// <summary>Qualification confirmed interest and credit and hands the prospect to Quoting.</summary>
public sealed record ProspectQualified(
    Guid EventId, Guid ContactId, DateTimeOffset OccurredAt, string Owner, IReadOnlyList<string> Unmet,
    string GateVersion, string Name, string? Company, Money? ApprovedCreditLimit, long Sequence = 0) : IStageEvent
{
    public string Stage => Stages.Prospect;
}
