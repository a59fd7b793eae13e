using Funnel.Contracts;
using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Quoting.Domain;

namespace Funnel.Quoting.Features;

public sealed record ActivityResponse(Guid Id, ActivityKind Kind, string Summary, DateTimeOffset OccurredAt, string By)
{
    public static ActivityResponse From(Activity a) => new(a.Id, a.Kind, a.Summary, a.OccurredAt, a.By);
}

public sealed record QuoteLineResponse(
    string Sku, string Description, decimal Quantity, MoneyDto UnitPrice, decimal DiscountPercent, MoneyDto Total);

public sealed record QuoteResponse(
    Guid QuoteId, int Version, QuoteStatus Status, string Currency, DateOnly ValidUntil, MoneyDto Total,
    IReadOnlyList<QuoteLineResponse> Lines, DateTimeOffset CreatedAt, DateTimeOffset? SentAt,
    DateTimeOffset? DecidedAt, string? RejectedReason)
{
    public static QuoteResponse From(Quote q) => new(
        q.QuoteId, q.Version, q.Status, q.Currency, q.ValidUntil, MoneyDto.From(q.TotalMinor, q.Currency),
        q.Lines.OrderBy(l => l.LineNumber).Select(l => new QuoteLineResponse(l.Sku, l.Description, l.Quantity,
            MoneyDto.From(l.UnitPriceMinor, q.Currency), l.DiscountPercent, MoneyDto.From(l.TotalMinor, q.Currency)))
            .ToList(),
        q.CreatedAt, q.SentAt, q.DecidedAt, q.RejectedReason);
}

/// <summary>
/// A prospect's opportunity as the API shows it; <c>unmet</c> is the accept gate for the current quote. It carries the
/// count and the latest <see cref="LatestActivities"/> activities; <c>GET .../activities</c> pages through all.
/// </summary>
public sealed record OpportunityResponse(
    Guid ContactId, OpportunityStatus Status, string Owner, string Name, string? Company, int PercentComplete,
    bool PercentSetByHand, DateOnly? ExpectedCloseDate, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt,
    MoneyDto? CreditLimit, int ActivityCount, IReadOnlyList<ActivityResponse> Activities,
    IReadOnlyList<QuoteResponse> Quotes, string GateVersion, IReadOnlyList<string> Unmet, string? LostReason)
{
    public const int LatestActivities = 5;

    /// <param name="latest">The latest activities, at most <see cref="LatestActivities"/>, any order.</param>
    public static OpportunityResponse From(Opportunity o, IEnumerable<Activity> latest, StageGate gate, DateOnly today) => new(
        o.ContactId, o.Status, o.Owner, o.Name, o.Company, o.PercentComplete, o.PercentSetByHand,
        o.ExpectedCloseDate, o.OpenedAt, o.ClosedAt,
        o.CreditLimitMinor is { } limit ? MoneyDto.From(limit, o.CreditCurrency!) : null, o.ActivityCount,
        latest.OrderBy(a => a.OccurredAt).ThenBy(a => a.Id).Select(ActivityResponse.From).ToList(),
        o.Quotes.OrderBy(q => q.Version).Select(QuoteResponse.From).ToList(),
        gate.Version, o.Status == OpportunityStatus.Open ? gate.Unmet(o.DoneTasks(o.CurrentQuote, today)) : [],
        o.LostReason);
}

public static class Clock
{
    public static DateOnly Today(this TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
}
