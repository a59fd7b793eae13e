using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Qualification.Domain;

namespace Funnel.Qualification.Features;

public sealed record ChecklistItem(string Name, bool Required, bool Done, DateTimeOffset? DoneAt, string? By, string? Evidence);

public sealed record CreditCheckResponse(
    MoneyDto RequestedLimit, bool Approved, MoneyDto? ApprovedLimit, string Reason, string PolicyVersion,
    DateTimeOffset CheckedAt, string By)
{
    public static CreditCheckResponse From(CreditCheck check) => new(
        MoneyDto.From(check.RequestedMinor, check.Currency), check.Approved,
        check.Approved ? MoneyDto.From(check.ApprovedMinor, check.Currency) : null, check.Reason, check.PolicyVersion,
        check.CheckedAt, check.CheckedBy);
}

public sealed record InteractionResponse(Guid Id, InteractionKind Kind, string Summary, DateTimeOffset OccurredAt, string LoggedBy)
{
    public static InteractionResponse From(Interaction i) => new(i.Id, i.Kind, i.Summary, i.OccurredAt, i.LoggedBy);
}

/// <summary>
/// A qualification case as the API shows it: the checklist is the gate in force, ticked from the case. It carries the
/// count and the latest <see cref="LatestInteractions"/> interactions, so its size does not grow with the case's
/// history; <c>GET .../interactions</c> pages through all of them.
/// </summary>
public sealed record CaseResponse(
    Guid ContactId, CaseStatus Status, string Owner, string Name, string? Company, string? Email, string? Phone,
    DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, string GateVersion, IReadOnlyList<ChecklistItem> Checklist,
    IReadOnlyList<string> Unmet, bool? Interested, string? InterestNotes, CreditCheckResponse? CreditCheck,
    int InteractionCount, DateTimeOffset? LastInteractionAt, IReadOnlyList<InteractionResponse> Interactions,
    string? LostReason)
{
    public const int LatestInteractions = 5;

    /// <param name="latest">The case's latest interactions, at most <see cref="LatestInteractions"/>, any order.</param>
    public static CaseResponse From(QualificationCase c, IEnumerable<Interaction> latest, StageGate gate)
    {
        var checklist = gate.Tasks.Select(task =>
        {
            var done = c.Tasks.FirstOrDefault(t => t.Name == task.Name);
            return new ChecklistItem(task.Name, task.Required, done is not null, done?.DoneAt, done?.By, done?.Evidence);
        }).ToList();
        return new CaseResponse(c.ContactId, c.Status, c.Owner, c.Name, c.Company, c.Email, c.Phone, c.OpenedAt,
            c.ClosedAt, gate.Version, checklist, c.IsOpen ? gate.Unmet(c.DoneTasks()) : [], c.Interested,
            c.InterestNotes, c.CreditCheck is null ? null : CreditCheckResponse.From(c.CreditCheck), c.InteractionCount,
            c.LastInteractionAt, latest.OrderBy(i => i.OccurredAt).ThenBy(i => i.Id).Select(InteractionResponse.From).ToList(),
            c.LostReason);
    }
}
