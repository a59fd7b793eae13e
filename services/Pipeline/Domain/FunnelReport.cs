using Funnel.Contracts;

namespace Funnel.Pipeline.Domain;

/// <summary>One stage's flow in the period: visits that began in it, and how those visits ended.</summary>
public sealed record StageFlow(
    string Stage, int Entered, int Converted, int Lost, int StillOpen, double? ConversionRate, double? MedianDaysInStage);

public sealed record LostReason(string Stage, string Reason, int Count);

/// <summary>The open quotes of open prospects, and each weighted by its percent complete.</summary>
public sealed record Forecast(string Currency, decimal OpenMinor, decimal WeightedMinor, int Opportunities);

/// <summary>
/// Sales velocity per currency: (open opportunities x average won deal x win rate) / average cycle length in days,
/// the value the funnel is expected to close per day.
/// </summary>
public sealed record Velocity(
    string Currency, int OpenOpportunities, long AverageWonDealMinor, double WinRate, double AverageCycleDays,
    decimal PerDayMinor);

public sealed record FunnelReport(
    DateTimeOffset From, DateTimeOffset To, IReadOnlyList<StageFlow> Stages, IReadOnlyList<LostReason> LostByReason,
    IReadOnlyList<Forecast> Forecast, IReadOnlyList<Velocity> Velocity)
{
    /// <summary>
    /// The funnel of <paramref name="journeys"/> for visits that began in [<paramref name="from"/>, <paramref name="to"/>):
    /// entered, converted (moved on to the next stage), lost and still open per stage; the conversion rate is converted
    /// over entered and the median time counts the visits that ended. Losses by reason count losses in the period. The
    /// forecast is the pipeline now. Velocity uses the deals won and the prospects closed (won or lost) in the period.
    /// </summary>
    public static FunnelReport Compute(IReadOnlyCollection<Journey> journeys, DateTimeOffset from, DateTimeOffset to)
    {
        bool InPeriod(DateTimeOffset at) => at >= from && at < to;
        var visits = journeys.SelectMany(j => j.History).ToList();

        var stages = Contracts.Stages.InOrder.Select(stage =>
        {
            var entered = visits.Where(v => v.Stage == stage && InPeriod(v.EnteredAt)).ToList();
            var converted = entered.Count(v => v.Outcome == StageOutcome.Advanced);
            var lost = entered.Count(v => v.Outcome == StageOutcome.Lost);
            var days = entered.Where(v => v.LeftAt is not null)
                .Select(v => (v.LeftAt!.Value - v.EnteredAt).TotalDays).ToList();
            return new StageFlow(stage, entered.Count, converted, lost, entered.Count - converted - lost,
                stage == Contracts.Stages.Customer || entered.Count == 0 ? null : (double)converted / entered.Count,
                Median(days));
        }).ToList();

        var lostByReason = visits.Where(v => v.Outcome == StageOutcome.Lost && InPeriod(v.LeftAt!.Value))
            .GroupBy(v => (v.Stage, Reason: v.Reason ?? ""))
            .Select(g => new LostReason(g.Key.Stage, g.Key.Reason, g.Count()))
            .OrderBy(r => Array.IndexOf(Contracts.Stages.InOrder.ToArray(), r.Stage)).ThenByDescending(r => r.Count)
            .ThenBy(r => r.Reason, StringComparer.Ordinal)
            .ToList();

        var openProspects = journeys.Where(j => j.Status == JourneyStatus.Open && j.Stage == Contracts.Stages.Prospect).ToList();
        var forecast = openProspects.Where(j => j.OpenQuote is not null)
            .GroupBy(j => j.OpenQuote!.Currency)
            // Summed as decimals: a long could overflow over enough large quotes, and then every report would fail.
            .Select(g => new Forecast(g.Key, g.Sum(j => (decimal)j.OpenQuote!.MinorUnits),
                g.Sum(j => Math.Round(j.OpenQuote!.MinorUnits * (j.PercentComplete ?? 0) / 100m, MidpointRounding.AwayFromZero)),
                g.Count()))
            .OrderBy(f => f.Currency, StringComparer.Ordinal)
            .ToList();

        var prospectVisitsClosed = visits.Where(v => v.Stage == Contracts.Stages.Prospect && v.LeftAt is { } left && InPeriod(left)).ToList();
        var winRate = prospectVisitsClosed.Count == 0
            ? 0
            : (double)prospectVisitsClosed.Count(v => v.Outcome == StageOutcome.Advanced) / prospectVisitsClosed.Count;
        var velocity = journeys.Where(j => j.WonAt is { } wonAt && InPeriod(wonAt) && j.WonValue is not null)
            .GroupBy(j => j.WonValue!.Currency)
            .Select(g =>
            {
                var averageDeal = (long)Math.Round(g.Average(j => (decimal)j.WonValue!.MinorUnits), MidpointRounding.AwayFromZero);
                var cycleDays = g.Average(j => (j.WonAt!.Value - j.CapturedAt).TotalDays);
                var perDay = cycleDays <= 0 ? 0
                    : Math.Round(openProspects.Count * averageDeal * (decimal)winRate / (decimal)cycleDays);
                return new Velocity(g.Key, openProspects.Count, averageDeal, winRate, cycleDays, perDay);
            })
            .OrderBy(v => v.Currency, StringComparer.Ordinal)
            .ToList();

        return new FunnelReport(from, to, stages, lostByReason, forecast, velocity);
    }

    private static double? Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }
        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
