using System.Text.Json;
using Funnel.Infrastructure.Domain;

namespace Funnel.Pipeline.Domain;

/// <summary>
/// The read model: one row per contact, the journey folded from its events. The columns serve the board's, the stale
/// list's and the funnel's queries, which run in the database; the journey is kept as JSON for the contact view (its
/// size bounded: the latest events only).
/// </summary>
public sealed class JourneyRow : IOwned, IHoldsPersonalData
{
    public Guid ContactId { get; init; }
    public string Stage { get; private set; } = "";
    public JourneyStatus Status { get; private set; }
    public string Owner { get; private set; } = "";
    public DateTimeOffset StageEnteredAt { get; private set; }
    public DateTimeOffset LastActivityAt { get; private set; }
    public string? OpenQuoteCurrency { get; private set; }
    public long? OpenQuoteMinor { get; private set; }

    /// <summary>The open quote times the percent complete, rounded per contact: the forecast sums it.</summary>
    public long? WeightedQuoteMinor { get; private set; }

    public DateTimeOffset CapturedAt { get; private set; }
    public DateTimeOffset? WonAt { get; private set; }
    public string? WonCurrency { get; private set; }
    public long? WonMinor { get; private set; }

    /// <summary>Capture to order, for sales velocity's average cycle.</summary>
    public double? DaysToWin { get; private set; }
    public string Json { get; private set; } = "";

    /// <summary>Optimistic concurrency token: two events of one contact folded at once cannot both win.</summary>
    public int Revision { get; set; }

    public Journey Journey => JsonSerializer.Deserialize<Journey>(Json, JsonSerializerOptions.Web)!;

    public static JourneyRow For(Journey journey)
    {
        var row = new JourneyRow { ContactId = journey.ContactId };
        row.Update(journey);
        return row;
    }

    public void ErasePersonalData() => Update(Journey with { Name = null, Company = null });

    public void Update(Journey journey)
    {
        Stage = journey.Stage;
        Status = journey.Status;
        Owner = journey.Owner;
        StageEnteredAt = journey.StageEnteredAt;
        LastActivityAt = journey.LastActivityAt;
        OpenQuoteCurrency = journey.OpenQuote?.Currency;
        OpenQuoteMinor = journey.OpenQuote?.MinorUnits;
        WeightedQuoteMinor = journey.OpenQuote is { } quote
            ? (long)Math.Round(quote.MinorUnits * (journey.PercentComplete ?? 0) / 100m, MidpointRounding.AwayFromZero)
            : null;
        CapturedAt = journey.CapturedAt;
        WonAt = journey.WonAt;
        WonCurrency = journey.WonValue?.Currency;
        WonMinor = journey.WonValue?.MinorUnits;
        DaysToWin = journey.WonAt is { } wonAt ? (wonAt - journey.CapturedAt).TotalDays : null;
        Json = JsonSerializer.Serialize(journey, JsonSerializerOptions.Web);
        Revision++;
    }
}
