using Funnel.Contracts;

namespace Funnel.Pipeline.Domain;

/// <summary>One stage's flow in the period: visits that began in it, and how those visits ended.</summary>
public sealed record StageFlow(
    string Stage, int Entered, int Converted, int Lost, int StillOpen, double? ConversionRate, double? MedianDaysInStage)
{
    public static StageFlow Of(string stage, int entered, int converted, int lost, double? medianDays) =>
        new(stage, entered, converted, lost, entered - converted - lost,
            stage == Contracts.Stages.Customer || entered == 0 ? null : (double)converted / entered, medianDays);
}

public sealed record LostReason(string Stage, string Reason, int Count);

/// <summary>The open quotes of open prospects, and each weighted by its percent complete.</summary>
public sealed record Forecast(string Currency, decimal OpenMinor, decimal WeightedMinor, int Opportunities);

/// <summary>
/// Sales velocity per currency: (open opportunities x average won deal x win rate) / average cycle length in days,
/// the value the funnel is expected to close per day.
/// </summary>
public sealed record Velocity(
    string Currency, int OpenOpportunities, long AverageWonDealMinor, double WinRate, double AverageCycleDays,
    decimal PerDayMinor)
{
    public static Velocity Of(string currency, int openOpportunities, int won, decimal wonMinor, double wonDays,
        double winRate)
    {
        var averageDeal = (long)Math.Round(wonMinor / won, MidpointRounding.AwayFromZero);
        var cycleDays = wonDays / won;
        var perDay = cycleDays <= 0 ? 0 : Math.Round(openOpportunities * averageDeal * (decimal)winRate / (decimal)cycleDays);
        return new Velocity(currency, openOpportunities, averageDeal, winRate, cycleDays, perDay);
    }
}

/// <summary>
/// The funnel for visits that began in [<see cref="From"/>, <see cref="To"/>) (since From when To is null): entered, converted (moved on to the next
/// stage), lost and still open per stage; the conversion rate is converted over entered and the median time counts the
/// visits that ended. Losses by reason count losses in the period. The forecast is the pipeline now. Velocity uses the
/// deals won and the prospects closed (won or lost) in the period.
/// </summary>
public sealed record FunnelReport(
    DateTimeOffset From, DateTimeOffset? To, IReadOnlyList<StageFlow> Stages, IReadOnlyList<LostReason> LostByReason,
    IReadOnlyList<Forecast> Forecast, IReadOnlyList<Velocity> Velocity);
