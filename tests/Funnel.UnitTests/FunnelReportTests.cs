using Funnel.Contracts;
using Funnel.Pipeline.Data;
using Funnel.Pipeline.Domain;
using Funnel.Pipeline.Features.GetFunnel;
using Funnel.Pipeline.Features.ListStale;
using Funnel.Pipeline.Features.RecordEvents;
using Microsoft.EntityFrameworkCore;

namespace Funnel.UnitTests;

/// <summary>
/// The funnel of seven contacts whose figures are worked out by hand below. Days count from T0; amounts are EUR.
///   A  lead 0 -> qualified 2 -> prospect 5 (quote 1000.00) -> customer 10 (order 1000.00)
///   B  lead 0 -> qualified 4 -> prospect 10 (quote 2000.00, 50 %), still open
///   C  lead 1, lost 3 "no budget"
///   D  lead 1 -> qualified 2, lost 8 "no credit"
///   E  lead 2 -> qualified 3 -> prospect 4, lost 9 "chose a competitor"
///   F  lead 3, still open
///   G  lead 0 -> qualified 1 -> prospect 2 (quote 3000.00, 20 %) -> customer 20 (order 3000.00)
///   H  lead 4, another salesperson's, lost 6 "no budget": counted only when the funnel is not narrowed to alice
/// The report is counted in a SQLite store that Pipeline's projection filled one event at a time, in random order.
/// </summary>
public sealed class FunnelReportTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-10-01T00:00:00Z");

    private static readonly IReadOnlyList<StageEventRecord> Events =
    [
        .. Contact("A", [Lead(0), Qualified(2), Prospect(5), Quote(6, 1000_00), Order(10, 1000_00)]),
        .. Contact("B", [Lead(0), Qualified(4), Prospect(10), Quote(11, 2000_00), Progress(12, 50)]),
        .. Contact("C", [Lead(1), Lost(3, Stages.Lead, "no budget")]),
        .. Contact("D", [Lead(1), Qualified(2), Lost(8, Stages.QualifiedLead, "no credit")]),
        .. Contact("E", [Lead(2), Qualified(3), Prospect(4), Lost(9, Stages.Prospect, "chose a competitor")]),
        .. Contact("F", [Lead(3)]),
        .. Contact("G", [Lead(0), Qualified(1), Prospect(2), Quote(3, 3000_00), Progress(3, 20), Order(20, 3000_00)]),
        .. Contact("H", [Lead(4), Lost(6, Stages.Lead, "no budget")], owner: "bob"),
    ];

    private readonly string _folder = Directory.CreateTempSubdirectory("funnel-report-").FullName;
    private PipelineDbContext _db = null!;
    private FunnelReport _allTime = null!;

    public async ValueTask InitializeAsync()
    {
        _db = new SqlitePipelineDbContext(new DbContextOptionsBuilder<SqlitePipelineDbContext>()
            .UseSqlite($"Data Source={Path.Combine(_folder, "pipeline.db")};Pooling=false").Options);
        await _db.Database.MigrateAsync(TestContext.Current.CancellationToken);
        foreach (var e in Events.OrderBy(_ => Random.Shared.Next()))
        {
            _db.Events.Add(e);
            await _db.ProjectAsync(e, TestContext.Current.CancellationToken);
            await _db.SaveChangesAsync(TestContext.Current.CancellationToken);
            _db.ChangeTracker.Clear();
        }
        _allTime = await Report(T0, T0.AddDays(30));
    }

    public async ValueTask DisposeAsync()
    {
        await _db.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<FunnelReport> Report(DateTimeOffset from, DateTimeOffset to, string? owner = "alice") =>
        _db.FunnelAsync(from, to, owner, TestContext.Current.CancellationToken);

    [Fact]
    public void Each_stage_counts_entered_converted_lost_and_open()
    {
        Assert.Equal(
        [
            // lead: all 7 entered; A B D E G moved on, C lost, F open
            (Stages.Lead, 7, 5, 1, 1),
            // qualified lead: A B D E G entered; D lost
            (Stages.QualifiedLead, 5, 4, 1, 0),
            // prospect: A B E G entered; A and G won, E lost, B open
            (Stages.Prospect, 4, 2, 1, 1),
            // customer: A and G
            (Stages.Customer, 2, 0, 0, 2),
        ], _allTime.Stages.Select(s => (s.Stage, s.Entered, s.Converted, s.Lost, s.StillOpen)));
    }

    [Fact]
    public void Conversion_is_converted_over_entered_and_the_median_counts_the_visits_that_ended()
    {
        // lead: 5/7; days in stage of the ended visits A2 B4 C2 D1 E1 G1 -> 1 1 1 2 2 4 -> median (1 + 2) / 2
        // qualified lead: 4/5; A3 B6 D6 E1 G1 -> 1 1 3 6 6 -> median 3
        // prospect: 2/4; A5 E5 G18 -> median 5
        Assert.Equal([5 / 7.0, 0.8, 0.5, null], _allTime.Stages.Select(s => s.ConversionRate));
        Assert.Equal([1.5, 3, 5, null], _allTime.Stages.Select(s => s.MedianDaysInStage));
    }

    [Fact]
    public void Losses_are_grouped_by_stage_and_reason()
    {
        Assert.Equal(
        [
            new LostReason(Stages.Lead, "no budget", 1),
            new LostReason(Stages.QualifiedLead, "no credit", 1),
            new LostReason(Stages.Prospect, "chose a competitor", 1),
        ], _allTime.LostByReason);
    }

    [Fact]
    public void The_forecast_weights_each_open_quote_by_its_percent_complete()
    {
        // Only B is an open prospect: 2000.00 at 50 %.
        Assert.Equal([new Forecast("EUR", 2000_00, 1000_00, 1)], _allTime.Forecast);
    }

    [Fact]
    public void Velocity_is_open_opportunities_times_average_deal_times_win_rate_over_cycle_days()
    {
        // Won: A 1000.00 in 10 days, G 3000.00 in 20 days -> average deal 2000.00, average cycle 15 days.
        // Prospects closed: A won, E lost, G won -> win rate 2/3. Open opportunities: B.
        // 1 x 2000.00 x 2/3 / 15 = 88.888... -> 88.89 a day.
        var velocity = Assert.Single(_allTime.Velocity);
        Assert.Equal(("EUR", 1, 2000_00L, 15.0, 8889L),
            (velocity.Currency, velocity.OpenOpportunities, velocity.AverageWonDealMinor, velocity.AverageCycleDays, velocity.PerDayMinor));
        Assert.Equal(2 / 3.0, velocity.WinRate, precision: 10);
    }

    [Fact]
    public async Task A_period_counts_the_visits_that_began_in_it()
    {
        var late = await Report(T0.AddDays(5), T0.AddDays(30));

        // Prospect visits beginning on day 5 or later: A (5) and B (10); A moved on.
        var prospect = late.Stages.Single(s => s.Stage == Stages.Prospect);
        Assert.Equal((2, 1, 0.5), (prospect.Entered, prospect.Converted, prospect.ConversionRate));
        Assert.Equal((0, null), (late.Stages[0].Entered, late.Stages[0].ConversionRate));
        // Losses on day 5 or later: D (8) and E (9).
        Assert.Equal(["no credit", "chose a competitor"], late.LostByReason.Select(r => r.Reason));
    }

    [Fact]
    public async Task Everyone_s_funnel_counts_every_salesperson_and_a_rebuild_counts_the_same()
    {
        var everyone = await Report(T0, T0.AddDays(30), owner: null);
        Assert.Equal((8, 2), (everyone.Stages[0].Entered, everyone.LostByReason[0].Count));

        await _db.RebuildAsync(TestContext.Current.CancellationToken);
        var rebuilt = await Report(T0, T0.AddDays(30));
        Assert.Equivalent(_allTime, rebuilt, strict: true);
    }

    [Fact]
    public async Task The_maintained_counts_equal_the_visits_and_journeys_after_folds_in_any_order_a_reassignment_and_a_rebuild()
    {
        await AssertCountsMatchVisits();

        // H moves from bob to carol: bob's counts lose its visit and carol's gain it.
        var h = await _db.Journeys.Where(j => j.Owner == "bob").Select(j => j.ContactId).SingleAsync(Cancel);
        await Project(new StageEventRecord
        {
            EventId = Guid.CreateVersion7(),
            ContactId = h,
            Type = nameof(ContactReassigned),
            Stage = Stages.Lead,
            Owner = "carol",
            OccurredAt = T0.AddDays(7),
            Sequence = 100,
            Payload = "{}",
        });
        await AssertCountsMatchVisits();
        Assert.Equal(0, (await Report(T0, T0.AddDays(30), owner: "bob")).Stages[0].Entered);
        Assert.Equal((1, 1), (await Report(T0, T0.AddDays(30), owner: "carol")).Stages.Select(s => (s.Entered, s.Lost)).First());

        await _db.RebuildAsync(Cancel);
        await AssertCountsMatchVisits();
    }

    [Fact]
    public async Task A_period_that_starts_and_ends_inside_days_counts_those_part_days_from_the_visits()
    {
        // Lead visits begin on days 0, 0, 1, 1, 2, 3, 0 (A to G); from day 0.5 to day 2.5 takes C, D (day 1) and E (2).
        var inside = await Report(T0.AddDays(0.5), T0.AddDays(2.5));
        Assert.Equal((3, 2, 1), (inside.Stages[0].Entered, inside.Stages[0].Converted, inside.Stages[0].Lost));
        // Within one day: only visits of that part of it.
        Assert.Equal(2, (await Report(T0.AddDays(1), T0.AddDays(1.5))).Stages[0].Entered);
        // With no end every visit since 'from' counts, the whole days from the counts alone.
        var open = await _db.FunnelAsync(T0.AddDays(0.5), null, "alice", Cancel);
        Assert.Equal([4, 5, 4, 2], open.Stages.Select(s => s.Entered));
        Assert.Equivalent(_allTime.Stages, (await _db.FunnelAsync(T0, null, "alice", Cancel)).Stages, strict: true);
    }

    [Fact]
    public async Task The_stale_list_pages_merge_the_stages_in_idle_order_with_none_twice_and_none_missed()
    {
        // Three more leads idle since day 3 (as F) and two more qualified leads since day 3: ties within and across stages.
        foreach (var name in new[] { "I", "J", "K" })
        {
            foreach (var e in Contact(name, [Lead(3)]))
            {
                await Project(e);
            }
        }
        foreach (var name in new[] { "L", "M" })
        {
            foreach (var e in Contact(name, [Lead(1), Qualified(3)]))
            {
                await Project(e);
            }
        }
        var allowed = new Dictionary<string, int> { [Stages.Lead] = 7, [Stages.QualifiedLead] = 14, [Stages.Prospect] = 30 };
        var asOf = T0.AddDays(100);

        var (whole, total) = await _db.StalePageAsync(asOf, allowed, "alice", 1, 100, Cancel);
        var paged = new List<Guid>();
        for (var page = 1; page <= 4; page++)
        {
            var (keys, pageTotal) = await _db.StalePageAsync(asOf, allowed, "alice", page, 2, Cancel);
            Assert.Equal(total, pageTotal);
            paged.AddRange(keys);
        }

        // F, I, J, K (leads) and L, M (qualified) idle since day 3, then B (prospect) since day 12.
        Assert.Equal(7, total);
        Assert.Equal(whole, paged);
        var journeys = await _db.Journeys.AsNoTracking().ToDictionaryAsync(j => j.ContactId, Cancel);
        Assert.Equal(whole.Select(id => journeys[id]).OrderBy(j => j.LastActivityAt).ThenBy(j => Stages.Rank(j.Stage))
            .Select(j => (j.LastActivityAt, j.Stage)), whole.Select(id => (journeys[id].LastActivityAt, journeys[id].Stage)));
        Assert.Equal([Stages.Lead, Stages.Lead, Stages.Lead, Stages.Lead, Stages.QualifiedLead, Stages.QualifiedLead,
            Stages.Prospect], whole.Select(id => journeys[id].Stage));
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task Project(StageEventRecord e)
    {
        _db.Events.Add(e);
        await _db.ProjectAsync(e, Cancel);
        await _db.SaveChangesAsync(Cancel);
        _db.ChangeTracker.Clear();
    }

    private async Task AssertCountsMatchVisits()
    {
        var visits = await _db.Visits.AsNoTracking().ToListAsync(Cancel);
        var expected = visits.GroupBy(v => (v.Stage, v.Owner, Day: StageFlowDay.DayOf(v.EnteredAt)))
            .Select(g => (g.Key.Stage, g.Key.Owner, g.Key.Day, Entered: g.Count(),
                Converted: g.Count(v => v.Outcome == StageOutcome.Advanced), Lost: g.Count(v => v.Outcome == StageOutcome.Lost),
                Ended: g.Count(v => v.DaysInStage != null)))
            .OrderBy(c => c.Stage).ThenBy(c => c.Owner).ThenBy(c => c.Day).ToList();
        var counted = (await _db.FlowDays.AsNoTracking().ToListAsync(Cancel))
            .Select(f => (f.Stage, f.Owner, f.Day, f.Entered, f.Converted, f.Lost, f.Ended))
            .OrderBy(c => c.Stage).ThenBy(c => c.Owner).ThenBy(c => c.Day).ToList();
        Assert.Equal(expected, counted);

        var journeys = await _db.Journeys.AsNoTracking().Where(j => j.Status != JourneyStatus.Lost).ToListAsync(Cancel);
        var onBoard = journeys.GroupBy(j => (j.Stage, j.Owner, Currency: j.OpenQuoteCurrency ?? ""))
            .Select(g => (g.Key.Stage, g.Key.Owner, g.Key.Currency, Contacts: g.Count(),
                Open: g.Sum(j => j.OpenQuoteMinor ?? 0), Weighted: g.Sum(j => j.WeightedQuoteMinor ?? 0)))
            .Order().ToList();
        var board = (await _db.BoardCounts.AsNoTracking().ToListAsync(Cancel))
            .Select(b => (b.Stage, b.Owner, b.Currency, b.Contacts, Open: b.OpenMinor, Weighted: b.WeightedMinor))
            .Order().ToList();
        Assert.Equal(onBoard, board);
        Assert.NotEmpty(board);
    }

    private static IEnumerable<StageEventRecord> Contact(string name, StageEventRecord[] events, string owner = "alice")
    {
        var id = Guid.CreateVersion7();
        return events.Select(e => Copy(e, id, name, owner));
    }

    private static StageEventRecord Copy(StageEventRecord e, Guid contactId, string name, string owner) => new()
    {
        EventId = Guid.CreateVersion7(),
        ContactId = contactId,
        Type = e.Type,
        Stage = e.Stage,
        Owner = owner,
        OccurredAt = e.OccurredAt,
        Name = e.Type == nameof(LeadCaptured) ? name : null,
        Reason = e.Reason,
        Currency = e.Currency,
        AmountMinor = e.AmountMinor,
        PercentComplete = e.PercentComplete,
        Payload = "{}",
    };

    private static StageEventRecord Event(string type, string stage, double day) => new()
    {
        Type = type,
        Stage = stage,
        Owner = "alice",
        OccurredAt = T0.AddDays(day),
        Payload = "{}",
    };

    private static StageEventRecord Lead(double day) => Event(nameof(LeadCaptured), Stages.Lead, day);
    private static StageEventRecord Qualified(double day) => Event(nameof(LeadQualified), Stages.QualifiedLead, day);
    private static StageEventRecord Prospect(double day) => Event(nameof(ProspectQualified), Stages.Prospect, day);

    private static StageEventRecord Quote(double day, long minor) => new()
    {
        Type = nameof(QuoteSent),
        Stage = Stages.Prospect,
        Owner = "alice",
        OccurredAt = T0.AddDays(day),
        Currency = "EUR",
        AmountMinor = minor,
        Payload = "{}",
    };

    private static StageEventRecord Progress(double day, int percent) => new()
    {
        Type = nameof(OpportunityProgressed),
        Stage = Stages.Prospect,
        Owner = "alice",
        OccurredAt = T0.AddDays(day),
        PercentComplete = percent,
        Payload = "{}",
    };

    private static StageEventRecord Order(double day, long minor) => new()
    {
        Type = nameof(OrderPlaced),
        Stage = Stages.Customer,
        Owner = "alice",
        OccurredAt = T0.AddDays(day),
        Currency = "EUR",
        AmountMinor = minor,
        Payload = "{}",
    };

    private static StageEventRecord Lost(double day, string stage, string reason) => new()
    {
        Type = nameof(ContactLost),
        Stage = stage,
        Owner = "alice",
        OccurredAt = T0.AddDays(day),
        Reason = reason,
        Payload = "{}",
    };
}
