using Funnel.Contracts;
using Funnel.Pipeline.Data;
using Funnel.Pipeline.Domain;
using Microsoft.EntityFrameworkCore;

namespace Funnel.Pipeline.Features.GetFunnel;

/// <summary>
/// The funnel counted in the database: the stages' flows summed from the daily counts (and, for a period that starts
/// or ends inside a day, that part-day's visits), the forecast from the board's counts, the medians, losses and wins
/// of the period from the visits' and the journeys' indexed columns. No journey loaded.
/// </summary>
public static class FunnelQuery
{
    private sealed record Flow(int Entered, int Converted, int Lost, int Ended)
    {
        public static readonly Flow None = new(0, 0, 0, 0);

        public Flow Plus(Flow other) =>
            new(Entered + other.Entered, Converted + other.Converted, Lost + other.Lost, Ended + other.Ended);
    }

    /// <summary>The funnel of visits begun in [<paramref name="from"/>, <paramref name="to"/>), or since
    /// <paramref name="from"/> when <paramref name="to"/> is null.</summary>
    public static async Task<FunnelReport> FunnelAsync(this PipelineDbContext db, DateTimeOffset from,
        DateTimeOffset? to, string? owner, CancellationToken cancellationToken)
    {
        var narrowed = !string.IsNullOrWhiteSpace(owner);
        var visits = narrowed ? db.Visits.Where(v => v.Owner == owner) : db.Visits;
        var journeys = narrowed ? db.Journeys.Where(j => j.Owner == owner) : db.Journeys;
        var begun = visits.Where(v => v.EnteredAt >= from);
        var left = visits.Where(v => v.LeftAt >= from);
        var won = journeys.Where(j => j.WonAt >= from);
        if (to is { } end)
        {
            begun = begun.Where(v => v.EnteredAt < end);
            left = left.Where(v => v.LeftAt < end);
            won = won.Where(j => j.WonAt < end);
        }

        var flows = await db.FlowsAsync(visits, from, to, owner, cancellationToken);
        var stages = new List<StageFlow>();
        foreach (var stage in Stages.InOrder)
        {
            var flow = flows.GetValueOrDefault(stage, Flow.None);
            double? median = null;
            if (flow.Ended > 0)
            {
                // The middle one or two of the ended visits, read off the (stage, days) index.
                var middle = await begun.Where(v => v.Stage == stage && v.DaysInStage != null)
                    .OrderBy(v => v.DaysInStage).Skip((flow.Ended - 1) / 2).Take(2 - flow.Ended % 2)
                    .Select(v => v.DaysInStage!.Value).ToListAsync(cancellationToken);
                median = middle.Count > 0 ? middle.Average() : null;
            }
            stages.Add(StageFlow.Of(stage, flow.Entered, flow.Converted, flow.Lost, median));
        }

        var lostByReason = (await left.Where(v => v.Outcome == StageOutcome.Lost)
                .GroupBy(v => new { v.Stage, v.Reason })
                .Select(g => new { g.Key.Stage, g.Key.Reason, Count = g.Count() })
                .ToListAsync(cancellationToken))
            .Select(r => new LostReason(r.Stage, r.Reason ?? "", r.Count))
            .OrderBy(r => Stages.Rank(r.Stage)).ThenByDescending(r => r.Count).ThenBy(r => r.Reason, StringComparer.Ordinal)
            .ToList();

        // The open prospects' quotes from the maintained board counts (a prospect on the board is an open one).
        var prospects = db.BoardCounts.Where(b => b.Stage == Stages.Prospect);
        if (narrowed)
        {
            prospects = prospects.Where(b => b.Owner == owner);
        }
        var quoted = await prospects.GroupBy(b => b.Currency)
            .Select(g => new { Currency = g.Key, Count = g.Sum(b => b.Contacts), Open = g.Sum(b => b.OpenMinor), Weighted = g.Sum(b => b.WeightedMinor) })
            .ToListAsync(cancellationToken);
        var forecast = quoted.Where(q => q.Currency != "" && q.Count > 0)
            .Select(q => new Forecast(q.Currency, q.Open, q.Weighted, q.Count))
            .OrderBy(f => f.Currency, StringComparer.Ordinal)
            .ToList();
        var openCount = quoted.Sum(q => q.Count);
        var closed = await left.Where(v => v.Stage == Stages.Prospect)
            .GroupBy(v => 1)
            .Select(g => new { All = g.Count(), Won = g.Count(v => v.Outcome == StageOutcome.Advanced) })
            .SingleOrDefaultAsync(cancellationToken);
        var winRate = closed is null || closed.All == 0 ? 0 : (double)closed.Won / closed.All;
        var velocity = (await won.Where(j => j.WonMinor != null)
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

    /// <summary>
    /// Each stage's visits begun in the period: the whole days from the daily counts, the part-days at either end
    /// (none for a period from midnight to midnight UTC, as the default one from the epoch on) from the visits.
    /// </summary>
    private static async Task<Dictionary<string, Flow>> FlowsAsync(this PipelineDbContext db,
        IQueryable<StageVisitRow> visits, DateTimeOffset from, DateTimeOffset? to, string? owner,
        CancellationToken cancellationToken)
    {
        var fromDay = StageFlowDay.DayOf(from);
        var firstDay = StageFlowDay.StartOf(fromDay) == from ? fromDay : fromDay.AddDays(1);
        DateOnly? lastDay = to is { } end ? StageFlowDay.DayOf(end) : null;
        if (to is not null && firstDay >= lastDay)
        {
            return await CountAsync(visits, from, to.Value, cancellationToken);
        }
        var days = db.FlowDays.Where(f => f.Day >= firstDay);
        if (lastDay is not null)
        {
            days = days.Where(f => f.Day < lastDay.Value);
        }
        if (!string.IsNullOrWhiteSpace(owner))
        {
            days = days.Where(f => f.Owner == owner);
        }
        var flows = await days.GroupBy(f => f.Stage)
            .Select(g => new
            {
                Stage = g.Key,
                Flow = new Flow(g.Sum(f => f.Entered), g.Sum(f => f.Converted), g.Sum(f => f.Lost), g.Sum(f => f.Ended)),
            })
            .ToDictionaryAsync(f => f.Stage, f => f.Flow, cancellationToken);
        var wholeDaysFrom = StageFlowDay.StartOf(firstDay);
        var wholeDaysTo = lastDay is { } last ? StageFlowDay.StartOf(last) : wholeDaysFrom;
        foreach (var (partFrom, partTo) in new[] { (from, wholeDaysFrom), (wholeDaysTo, to ?? wholeDaysTo) })
        {
            if (partFrom < partTo)
            {
                foreach (var (stage, flow) in await CountAsync(visits, partFrom, partTo, cancellationToken))
                {
                    flows[stage] = flows.GetValueOrDefault(stage, Flow.None).Plus(flow);
                }
            }
        }
        return flows;
    }

    private static Task<Dictionary<string, Flow>> CountAsync(IQueryable<StageVisitRow> visits, DateTimeOffset from,
        DateTimeOffset to, CancellationToken cancellationToken) =>
        visits.Where(v => v.EnteredAt >= from && v.EnteredAt < to)
            .GroupBy(v => v.Stage)
            .Select(g => new
            {
                Stage = g.Key,
                Flow = new Flow(g.Count(), g.Count(v => v.Outcome == StageOutcome.Advanced),
                    g.Count(v => v.Outcome == StageOutcome.Lost), g.Count(v => v.DaysInStage != null)),
            })
            .ToDictionaryAsync(f => f.Stage, f => f.Flow, cancellationToken);

    private static decimal Joined(long billions, long rest) => (decimal)billions * 1_000_000_000 + rest;
}
