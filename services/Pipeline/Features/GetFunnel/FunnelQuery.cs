using Funnel.Contracts;
using Funnel.Pipeline.Data;
using Funnel.Pipeline.Domain;
using Microsoft.EntityFrameworkCore;

namespace Funnel.Pipeline.Features.GetFunnel;

/// <summary>
/// The funnel counted in the database, from the visits and the journeys' columns: a handful of grouped queries
/// whatever the number of contacts, and no journey loaded.
/// </summary>
public static class FunnelQuery
{
    public static async Task<FunnelReport> FunnelAsync(this PipelineDbContext db, DateTimeOffset from,
        DateTimeOffset to, string? owner, CancellationToken cancellationToken)
    {
        var visits = string.IsNullOrWhiteSpace(owner) ? db.Visits : db.Visits.Where(v => v.Owner == owner);
        var journeys = string.IsNullOrWhiteSpace(owner) ? db.Journeys : db.Journeys.Where(j => j.Owner == owner);
        var begun = visits.Where(v => v.EnteredAt >= from && v.EnteredAt < to);

        var flows = await begun.GroupBy(v => v.Stage)
            .Select(g => new
            {
                Stage = g.Key,
                Entered = g.Count(),
                Converted = g.Count(v => v.Outcome == StageOutcome.Advanced),
                Lost = g.Count(v => v.Outcome == StageOutcome.Lost),
                Ended = g.Count(v => v.DaysInStage != null),
            })
            .ToDictionaryAsync(f => f.Stage, cancellationToken);
        var stages = new List<StageFlow>();
        foreach (var stage in Stages.InOrder)
        {
            if (!flows.TryGetValue(stage, out var flow))
            {
                stages.Add(StageFlow.Of(stage, 0, 0, 0, null));
                continue;
            }
            double? median = null;
            if (flow.Ended > 0)
            {
                // The middle one or two of the ended visits, read off the (stage, days) index.
                var middle = await begun.Where(v => v.Stage == stage && v.DaysInStage != null)
                    .OrderBy(v => v.DaysInStage).Skip((flow.Ended - 1) / 2).Take(2 - flow.Ended % 2)
                    .Select(v => v.DaysInStage!.Value).ToListAsync(cancellationToken);
                median = middle.Average();
            }
            stages.Add(StageFlow.Of(stage, flow.Entered, flow.Converted, flow.Lost, median));
        }

        var lostByReason = (await visits
                .Where(v => v.Outcome == StageOutcome.Lost && v.LeftAt >= from && v.LeftAt < to)
                .GroupBy(v => new { v.Stage, v.Reason })
                .Select(g => new { g.Key.Stage, g.Key.Reason, Count = g.Count() })
                .ToListAsync(cancellationToken))
            .Select(r => new LostReason(r.Stage, r.Reason ?? "", r.Count))
            .OrderBy(r => Stages.Rank(r.Stage)).ThenByDescending(r => r.Count).ThenBy(r => r.Reason, StringComparer.Ordinal)
            .ToList();

        var openProspects = journeys.Where(j => j.Status == JourneyStatus.Open && j.Stage == Stages.Prospect);
        // Sums of minor units in two parts, each far from a long's end however many quotes; joined as a decimal.
        var forecast = (await openProspects.Where(j => j.OpenQuoteMinor != null)
                .GroupBy(j => j.OpenQuoteCurrency!)
                .Select(g => new
                {
                    Currency = g.Key,
                    Count = g.Count(),
                    OpenBillions = g.Sum(j => j.OpenQuoteMinor!.Value / 1_000_000_000),
                    OpenRest = g.Sum(j => j.OpenQuoteMinor!.Value % 1_000_000_000),
                    WeightedBillions = g.Sum(j => j.WeightedQuoteMinor!.Value / 1_000_000_000),
                    WeightedRest = g.Sum(j => j.WeightedQuoteMinor!.Value % 1_000_000_000),
                })
                .ToListAsync(cancellationToken))
            .Select(f => new Forecast(f.Currency, Joined(f.OpenBillions, f.OpenRest),
                Joined(f.WeightedBillions, f.WeightedRest), f.Count))
            .OrderBy(f => f.Currency, StringComparer.Ordinal)
            .ToList();

        var openCount = await openProspects.CountAsync(cancellationToken);
        var closed = await visits.Where(v => v.Stage == Stages.Prospect && v.LeftAt >= from && v.LeftAt < to)
            .GroupBy(v => 1)
            .Select(g => new { All = g.Count(), Won = g.Count(v => v.Outcome == StageOutcome.Advanced) })
            .SingleOrDefaultAsync(cancellationToken);
        var winRate = closed is null || closed.All == 0 ? 0 : (double)closed.Won / closed.All;
        var velocity = (await journeys.Where(j => j.WonAt >= from && j.WonAt < to && j.WonMinor != null)
                .GroupBy(j => j.WonCurrency!)
                .Select(g => new
                {
                    Currency = g.Key,
                    Count = g.Count(),
                    Billions = g.Sum(j => j.WonMinor!.Value / 1_000_000_000),
                    Rest = g.Sum(j => j.WonMinor!.Value % 1_000_000_000),
                    Days = g.Sum(j => j.DaysToWin!.Value),
                })
                .ToListAsync(cancellationToken))
            .Select(v => Velocity.Of(v.Currency, openCount, v.Count, Joined(v.Billions, v.Rest), v.Days, winRate))
            .OrderBy(v => v.Currency, StringComparer.Ordinal)
            .ToList();

        return new FunnelReport(from, to, stages, lostByReason, forecast, velocity);
    }

    private static decimal Joined(long billions, long rest) => (decimal)billions * 1_000_000_000 + rest;
}
