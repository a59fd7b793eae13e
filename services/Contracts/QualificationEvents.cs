namespace Funnel.Contracts;

/// <summary>Qualification confirmed interest and credit and hands the prospect to Quoting.</summary>
public sealed record ProspectQualified(
    Guid EventId, Guid ContactId, DateTimeOffset OccurredAt, string Owner, IReadOnlyList<string> Unmet,
    string GateVersion, string Name, string? Company, Money? ApprovedCreditLimit, long Sequence = 0) : IStageEvent
{
    public string Stage => Stages.Prospect;
}

/// <summary>
/// A credit check after the promotion changed the prospect's approved limit (null: the latest check was rejected, no
/// limit stands). Quoting checks quotes against it; of two such changes the one with the higher Qualification
/// <see cref="IContactEvent.Sequence"/> is the later.
/// </summary>
public sealed record CreditLimitChanged(
    Guid EventId, Guid ContactId, DateTimeOffset OccurredAt, string Owner, Money? ApprovedCreditLimit,
    long Sequence = 0) : IContactEvent;
