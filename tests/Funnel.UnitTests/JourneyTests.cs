using Funnel.Contracts;
using Funnel.Pipeline.Domain;

namespace Funnel.UnitTests;

public class JourneyTests
{
    private static readonly Guid Contact = Guid.CreateVersion7();
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-01T08:00:00Z");

    [Fact]
    public void A_won_contact_went_through_every_stage()
    {
        var journey = Journey.From(Contact, WonEvents())!;

        Assert.Equal((Stages.Customer, JourneyStatus.Won, "alice"), (journey.Stage, journey.Status, journey.Owner));
        Assert.Equal(Stages.InOrder, journey.History.Select(v => v.Stage));
        Assert.All(journey.History.SkipLast(1), v => Assert.Equal(StageOutcome.Advanced, v.Outcome));
        Assert.Equal(T0.AddHours(1), journey.History[0].LeftAt);
        Assert.Equal(T0.AddHours(1), journey.History[1].EnteredAt);
        Assert.Null(journey.History[^1].LeftAt);
        Assert.Empty(journey.Next);
    }

    [Fact]
    public void Duplicates_and_delivery_order_do_not_change_the_journey()
    {
        var events = WonEvents();
        var shuffled = events.Concat(events.Take(3)).Reverse().ToList();

        Assert.Equivalent(Journey.From(Contact, events), Journey.From(Contact, shuffled), strict: true);
    }

    [Fact]
    public void Next_is_what_the_current_stage_last_said_is_unmet()
    {
        var events = new[]
        {
            Event<LeadCaptured>(0, Stages.Lead, []),
            Event<LeadQualified>(1, Stages.QualifiedLead, []),
            Event<ChecklistChanged>(1.1, Stages.QualifiedLead, ["first-interaction", "credit-approved"]),
            Event<ChecklistChanged>(2, Stages.QualifiedLead, ["credit-approved"]),
        };

        var journey = Journey.From(Contact, events)!;

        Assert.Equal((Stages.QualifiedLead, JourneyStatus.Open), (journey.Stage, journey.Status));
        Assert.Equal(["credit-approved"], journey.Next);
    }

    [Fact]
    public void A_lost_contact_shows_where_and_why()
    {
        var events = new[]
        {
            Event<LeadCaptured>(0, Stages.Lead, ["owner-assigned"]),
            Event<ContactLost>(3, Stages.Lead, [], reason: "no budget"),
        };

        var journey = Journey.From(Contact, events)!;

        var visit = Assert.Single(journey.History);
        Assert.Equal((StageOutcome.Lost, "no budget", T0.AddHours(3)), (visit.Outcome, visit.Reason, visit.LeftAt));
        Assert.Equal(JourneyStatus.Lost, journey.Status);
        Assert.Empty(journey.Next);
    }

    [Fact]
    public void A_reopened_lead_starts_a_new_visit_and_is_open_again()
    {
        var events = new[]
        {
            Event<LeadCaptured>(0, Stages.Lead, []),
            Event<ContactLost>(1, Stages.Lead, [], reason: "went silent"),
            Event<LeadReopened>(2, Stages.Lead, []),
        };

        var journey = Journey.From(Contact, events)!;

        Assert.Equal(JourneyStatus.Open, journey.Status);
        Assert.Equal([(Stages.Lead, (StageOutcome?)StageOutcome.Lost), (Stages.Lead, null)],
            journey.History.Select(v => (v.Stage, v.Outcome)));
    }

    [Fact]
    public void A_capture_and_qualify_stamped_with_one_instant_read_in_stage_order_whatever_their_ids()
    {
        // The import stamps both with the same instant; the qualify's id may sort first (two v7 ids in one ms).
        var ids = new[] { Guid.CreateVersion7(), Guid.CreateVersion7() }.Order().ToArray();
        for (var run = 0; run < 2; run++)
        {
            var captured = Event<LeadCaptured>(0, Stages.Lead, [], sequence: 1, id: ids[1 - run]);
            var qualified = Event<LeadQualified>(0, Stages.QualifiedLead, [], sequence: 2, id: ids[run]);
            var opened = Event<ChecklistChanged>(0, Stages.QualifiedLead, ["first-interaction"], sequence: 1);

            var journey = Journey.From(Contact, [qualified, opened, captured])!;

            Assert.Equal([Stages.Lead, Stages.QualifiedLead], journey.History.Select(v => v.Stage));
            Assert.Equal(["first-interaction"], journey.Next);
        }
    }

    [Fact]
    public void A_stage_whose_clock_is_behind_the_previous_ones_does_not_reorder_the_journey()
    {
        // Qualification's clock runs ten minutes behind Leads': its events carry times before the hand-off's.
        var events = new[]
        {
            Event<LeadCaptured>(0, Stages.Lead, [], sequence: 1),
            Event<LeadQualified>(1, Stages.QualifiedLead, [], sequence: 2),
            Event<ChecklistChanged>(0.9, Stages.QualifiedLead, ["first-interaction", "credit-approved"], sequence: 1),
            Event<ChecklistChanged>(0.91, Stages.QualifiedLead, ["credit-approved"], sequence: 2),
            Event<ContactLost>(0.92, Stages.QualifiedLead, [], reason: "no budget", sequence: 3),
        };

        var journey = Journey.From(Contact, events)!;

        Assert.Equal([(Stages.Lead, (StageOutcome?)StageOutcome.Advanced), (Stages.QualifiedLead, StageOutcome.Lost)],
            journey.History.Select(v => (v.Stage, v.Outcome)));
        Assert.Equal("no budget", journey.History[^1].Reason);
        Assert.Equal(JourneyStatus.Lost, journey.Status);
    }

    [Fact]
    public void One_stages_events_follow_its_count_not_their_times()
    {
        // Two replicas of Qualification with clocks a second apart: the count, not the time, says which came last.
        var events = new[]
        {
            Event<LeadCaptured>(0, Stages.Lead, [], sequence: 1),
            Event<LeadQualified>(1, Stages.QualifiedLead, [], sequence: 2),
            Event<ChecklistChanged>(2, Stages.QualifiedLead, ["credit-approved"], sequence: 2),
            Event<ChecklistChanged>(2.0001, Stages.QualifiedLead, ["first-interaction", "credit-approved"], sequence: 1),
        };

        Assert.Equal(["credit-approved"], Journey.From(Contact, events)!.Next);
    }

    [Fact]
    public void No_events_no_journey() => Assert.Null(Journey.From(Contact, []));

    [Fact]
    public void The_latest_reassignment_names_the_owner_whatever_the_stages_carried_and_moves_no_stage()
    {
        var events = WonEvents();
        // Leads reassigned twice; Orders placed the order before it heard of either (its event still says alice).
        events.Add(Event<ContactReassigned>(3.5, "", [], sequence: 5, owner: "carol"));
        events.Add(Event<ContactReassigned>(2.5, "", [], sequence: 4, owner: "bob"));

        var journey = Journey.From(Contact, events)!;

        Assert.Equal(("carol", Stages.Customer, JourneyStatus.Won), (journey.Owner, journey.Stage, journey.Status));
        Assert.Equal(Stages.InOrder, journey.History.Select(v => v.Stage));
        Assert.Equivalent(journey, Journey.From(Contact, Enumerable.Reverse(events)), strict: true);
    }

    [Fact]
    public void A_reassignment_alone_is_no_journey_yet()
    {
        Assert.Null(Journey.From(Contact, [Event<ContactReassigned>(0, "", [], sequence: 2)]));
    }

    [Fact]
    public void Folded_one_event_at_a_time_in_any_delivery_order_the_journey_equals_the_fold_of_all()
    {
        var events = WonEvents();
        events.Add(Event<ContactReassigned>(2.5, "", [], sequence: 4, owner: "bob"));
        events.Add(Event<ChecklistChanged>(1.2, Stages.QualifiedLead, ["first-interaction", "credit-approved"], sequence: 1));
        var all = Journey.From(Contact, events)!;
        for (var run = 0; run < 200; run++)
        {
            // As the projection does: the next event alone when it comes last, else a fold of all seen so far.
            var seen = new List<StageEventRecord>();
            Journey? journey = null;
            foreach (var e in events.OrderBy(_ => Random.Shared.Next()))
            {
                seen.Add(e);
                journey = journey?.With(e) ?? Journey.From(Contact, seen);
            }
            Assert.Equivalent(all, journey, strict: true);
        }
    }

    [Fact]
    public void A_long_journey_keeps_its_latest_events_and_counts_them_all()
    {
        var events = new List<StageEventRecord> { Event<LeadCaptured>(0, Stages.Lead, [], sequence: 1) };
        events.AddRange(Enumerable.Range(2, 1_000).Select(n => Event<ChecklistChanged>(n, Stages.Lead, [], sequence: n)));
        Journey? journey = null;
        foreach (var e in events)
        {
            journey = journey is null ? Journey.From(Contact, [e]) : journey.With(e);
        }

        Assert.Equal(1_001, journey!.EventCount);
        Assert.Equal(events.TakeLast(Journey.RecentEvents).Select(e => e.EventId), journey.Events.Select(e => e.EventId));
        Assert.Equal((T0, T0.AddHours(1_001)), (journey.CapturedAt, journey.LastActivityAt));
        // One event that belongs earlier (an old delivery) needs the whole fold.
        Assert.Null(journey.With(Event<ChecklistChanged>(1.5, Stages.Lead, [], sequence: 1)));
    }

    private static List<StageEventRecord> WonEvents() =>
    [
        Event<LeadCaptured>(0, Stages.Lead, []),
        Event<LeadQualified>(1, Stages.QualifiedLead, []),
        Event<ChecklistChanged>(1.5, Stages.QualifiedLead, ["first-interaction"]),
        Event<ProspectQualified>(2, Stages.Prospect, []),
        Event<QuoteSent>(3, Stages.Prospect, []),
        Event<QuoteAccepted>(4, Stages.Prospect, []),
        Event<OrderPlaced>(5, Stages.Customer, []),
    ];

    private static StageEventRecord Event<T>(double hours, string stage, string[] unmet, string? reason = null,
        long sequence = 0, Guid? id = null, string owner = "alice") => new()
        {
            Sequence = sequence,
            EventId = id ?? Guid.CreateVersion7(),
            ContactId = Contact,
            Type = typeof(T).Name,
            Stage = stage,
            Owner = owner,
            OccurredAt = T0.AddHours(hours),
            Unmet = unmet,
            Reason = reason,
            Payload = "{}",
        };
}
