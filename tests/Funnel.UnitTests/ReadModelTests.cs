using System.Data.Common;
using System.Diagnostics.Metrics;
using Funnel.Contracts;
using Funnel.Pipeline.Data;
using Funnel.Pipeline.Domain;
using Funnel.Pipeline.Features.RecordEvents;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Funnel.UnitTests;

/// <summary>Pipeline's consumer on a real SQLite store: at-least-once, out-of-order delivery, and rebuild.</summary>
public sealed class ReadModelTests : IDisposable
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-10-01T00:00:00Z");
    private readonly string _folder = Directory.CreateTempSubdirectory("funnel-readmodel-").FullName;
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().AddSingleton<FunnelMetrics>().BuildServiceProvider();

    [Fact]
    public async Task Duplicates_and_any_order_give_the_same_model_and_a_rebuild_equals_the_live_one()
    {
        var events = Story();
        var inOrder = await LiveModel("in-order", events);
        var shuffled = events.Concat(events.Where((_, i) => i % 2 == 0)).OrderBy(_ => Random.Shared.Next()).ToList();

        await using var db = Open("shuffled");
        var live = await LiveModel("shuffled", shuffled);
        var contacts = await db.RebuildAsync(TestContext.Current.CancellationToken);
        var rebuilt = await Snapshot(db);

        Assert.Equal(3, contacts);
        Assert.Equal(inOrder, live);
        Assert.Equal(live, rebuilt);
        Assert.Equal(events.Count, await db.Events.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_older_store_gets_its_events_steps_and_a_read_model_folded_again()
    {
        var events = Story();
        var live = await LiveModel("older", events);
        await using (var db = Open("older"))
        {
            await db.GetService<IMigrator>().MigrateAsync("Erasure", TestContext.Current.CancellationToken);
            await db.Database.MigrateAsync(TestContext.Current.CancellationToken);
            // The journeys are dropped for the start to fold again; the events carry their steps.
            Assert.False(await db.Journeys.AnyAsync(TestContext.Current.CancellationToken));
            var steps = await db.Events.Select(e => new { e.Stage, e.Type, Stored = EF.Property<int>(e, nameof(StageEventRecord.Step)) })
                .ToListAsync(TestContext.Current.CancellationToken);
            Assert.All(steps, e => Assert.Equal(FoldPosition.StepOf(e.Stage, e.Type), e.Stored));
            Assert.Contains(steps, e => e.Stored > 0);
            await db.RebuildAsync(TestContext.Current.CancellationToken);
            Assert.Equal(live, await Snapshot(db));
        }
    }

    [Fact]
    public async Task The_funnel_meter_counts_each_event_once()
    {
        var measured = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == FunnelMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((i, v, _, _) => measured[i.Name] = measured.GetValueOrDefault(i.Name) + v);
        listener.SetMeasurementEventCallback<double>((i, v, _, _) => measured[i.Name] = measured.GetValueOrDefault(i.Name) + v);
        listener.Start();

        var events = Story();
        await LiveModel("metered", events.Concat(events).ToList());

        Assert.Equal(3, measured["funnel.leads.captured"]);
        Assert.Equal(4, measured["funnel.stage.conversions"]); // two qualified, one promoted, one order
        Assert.Equal(1, measured["funnel.losses"]);
        Assert.Equal(1, measured["funnel.orders"]);
        Assert.Equal(250.5, measured["funnel.orders.value"]);
    }

    [Fact]
    public async Task Two_events_of_one_contact_recorded_at_once_both_reach_its_journey()
    {
        // Two consumers fold one contact at once: replicas of Pipeline, or after a broker outage a replaced endpoint
        // next to the old one still finishing its delivery. The second commits while the first is between reading the
        // contact's row and saving it.
        var contact = Guid.CreateVersion7();
        var captured = new LeadCaptured(Guid.CreateVersion7(), contact, T0, "alice", [], "Race", null, "web");
        var qualified = new LeadQualified(Guid.CreateVersion7(), contact, T0.AddHours(1), "alice", [], "lead-1", "Race", null, "r@x.example", null);
        var checklist = new ChecklistChanged(Guid.CreateVersion7(), contact, T0.AddHours(2), "alice", ["first-interaction"], Stages.QualifiedLead);
        await LiveModel("race", [captured]);

        var other = new CommitInBetween(async () =>
        {
            await using var db = Open("race");
            await Consumer(db).RecordAsync(checklist, TestContext.Current.CancellationToken);
        });
        try
        {
            await using var db = Open("race", other);
            await Consumer(db).RecordAsync(qualified, TestContext.Current.CancellationToken);
        }
        catch (DbUpdateException)
        {
            // MassTransit retries a failed consume in a fresh scope; so does the test.
            await using var db = Open("race");
            await Consumer(db).RecordAsync(qualified, TestContext.Current.CancellationToken);
        }

        await using var store = Open("race");
        var journey = (await store.Journeys.SingleAsync(TestContext.Current.CancellationToken)).Journey;
        Assert.True(other.Committed);
        Assert.Equal(["LeadCaptured", "LeadQualified", "ChecklistChanged"], journey.Events.Select(e => e.Type));
        Assert.Equal(["first-interaction"], journey.Next);
        // Pipeline keeps no way to reach the contact: the hand-off's email is not in the stored event.
        var storedQualified = await store.Events.SingleAsync(e => e.EventId == qualified.EventId, TestContext.Current.CancellationToken);
        Assert.DoesNotContain("r@x.example", storedQualified.Payload);
        Assert.Contains("\"name\":\"Race\"", storedQualified.Payload);
    }

    /// <summary>Runs another unit of work right after the contact's journey row has been read, once.</summary>
    private sealed class CommitInBetween(Func<Task> other) : DbCommandInterceptor
    {
        public bool Committed { get; private set; }

        public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command,
            CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            if (!Committed && command.CommandText.Contains("FROM \"journeys\""))
            {
                Committed = true;
                await other();
            }
            return result;
        }
    }

    private StageEventConsumer Consumer(PipelineDbContext db) =>
        new(db, _services.GetRequiredService<FunnelMetrics>(), TimeProvider.System);

    /// <summary>Three contacts: one won, one lost as a lead, one open as a qualified lead.</summary>
    private static List<IStageEvent> Story()
    {
        Guid won = Guid.CreateVersion7(), lost = Guid.CreateVersion7(), open = Guid.CreateVersion7();
        DateTimeOffset Day(double d) => T0.AddDays(d);
        return
        [
            new LeadCaptured(Guid.CreateVersion7(), won, Day(0), "alice", [], "Won", "W Ltd", "web"),
            new LeadQualified(Guid.CreateVersion7(), won, Day(1), "alice", [], "lead-1", "Won", "W Ltd", "w@x.example", null),
            new ChecklistChanged(Guid.CreateVersion7(), won, Day(1.1), "alice", ["first-interaction"], Stages.QualifiedLead),
            new ProspectQualified(Guid.CreateVersion7(), won, Day(2), "alice", [], "q-1", "Won", "W Ltd", null),
            new OpportunityProgressed(Guid.CreateVersion7(), won, Day(2.1), "alice", [], 10, null),
            new QuoteSent(Guid.CreateVersion7(), won, Day(3), "alice", [], Guid.CreateVersion7(), 1, new Money("EUR", 250_50), DateOnly.FromDateTime(Day(30).UtcDateTime)),
            new OrderPlaced(Guid.CreateVersion7(), won, Day(4), "alice", [], Guid.CreateVersion7(), Guid.CreateVersion7(), new Money("EUR", 250_50)),
            new LeadCaptured(Guid.CreateVersion7(), lost, Day(0), "bob", ["owner-assigned"], "Lost", null, "web"),
            new ContactLost(Guid.CreateVersion7(), lost, Day(2), "bob", [], Stages.Lead, "no budget"),
            new LeadCaptured(Guid.CreateVersion7(), open, Day(1), "bob", [], "Open", null, "web"),
            new LeadQualified(Guid.CreateVersion7(), open, Day(3), "bob", [], "lead-1", "Open", null, "o@x.example", null),
            new ChecklistChanged(Guid.CreateVersion7(), open, Day(3.1), "bob", ["credit-approved"], Stages.QualifiedLead),
        ];
    }

    private async Task<List<(Guid, string, string, string, int)>> LiveModel(string store, List<IStageEvent> deliveries)
    {
        await using var db = Open(store);
        foreach (var delivery in deliveries)
        {
            await Consumer(db).RecordAsync((dynamic)delivery, TestContext.Current.CancellationToken);
            db.ChangeTracker.Clear();
        }
        return await Snapshot(db);
    }

    /// <summary>The read model without the row revisions, which count updates and differ by delivery.</summary>
    private static async Task<List<(Guid, string, string, string, int)>> Snapshot(PipelineDbContext db)
    {
        var rows = await db.Journeys.AsNoTracking().OrderBy(j => j.ContactId).ToListAsync(TestContext.Current.CancellationToken);
        return rows.Select(r => (r.ContactId, r.Stage, r.Status.ToString(), r.Json, r.Journey.History.Count)).ToList();
    }

    private PipelineDbContext Open(string store, params IInterceptor[] interceptors)
    {
        var db = new SqlitePipelineDbContext(new DbContextOptionsBuilder<SqlitePipelineDbContext>()
            .UseSqlite($"Data Source={Path.Combine(_folder, store + ".db")};Pooling=false")
            .AddInterceptors(interceptors).Options);
        db.Database.Migrate();
        // As the services run it: in WAL mode a reader does not hold off another connection's commit.
        db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
        return db;
    }

    public void Dispose()
    {
        _services.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
