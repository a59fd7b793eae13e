using Funnel.Contracts;
using Funnel.Infrastructure.Http;
using Funnel.Pipeline.Domain;

namespace Funnel.Pipeline.Features;

/// <summary>
/// A contact's journey as the API shows it (money as amount and currency): its latest events and their count;
/// <c>GET .../events</c> pages through all of them.
/// </summary>
public sealed record JourneyResponse(
    Guid ContactId, string? Name, string? Company, string Stage, JourneyStatus Status, string Owner,
    DateTimeOffset CapturedAt, DateTimeOffset StageEnteredAt, DateTimeOffset LastActivityAt,
    IReadOnlyList<StageVisit> History, IReadOnlyList<string> Next, int? PercentComplete, DateOnly? ExpectedCloseDate,
    MoneyDto? OpenQuote, MoneyDto? WonValue, DateTimeOffset? WonAt, IReadOnlyList<JourneyEvent> Events, int EventCount)
{
    public static JourneyResponse From(Journey j) => new(
        j.ContactId, j.Name, j.Company, j.Stage, j.Status, j.Owner, j.CapturedAt, j.StageEnteredAt, j.LastActivityAt,
        j.History, j.Next, j.PercentComplete, j.ExpectedCloseDate, Dto(j.OpenQuote), Dto(j.WonValue), j.WonAt, j.Events,
        j.EventCount);

    public static MoneyDto? Dto(Money? money) => money is null ? null : MoneyDto.From(money);
}
