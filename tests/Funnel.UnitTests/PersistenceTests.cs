using Funnel.Contracts;
using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Domain;
using Funnel.Orders.Data;
using Funnel.Orders.Domain;
using Funnel.Qualification.Data;
using Funnel.Qualification.Domain;
using Funnel.Quoting.Data;
using Funnel.Quoting.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Funnel.UnitTests;

/// <summary>Each stage's records round-trip through its real model and migrations on a SQLite file.</summary>
public sealed class PersistenceTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-04T10:00:00Z");
    private readonly string _folder = Directory.CreateTempSubdirectory("funnel-persistence-").FullName;

    [Fact]
    public async Task Items_added_to_a_stored_opportunity_are_inserted()
    {
        var contactId = Guid.CreateVersion7();
        await using (var db = Open<SqliteQuotingDbContext>())
        {
            db.Opportunities.Add(new Opportunity { ContactId = contactId, Owner = "alice", Name = "Ada", OpenedAt = Now });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        await using (var db = Open<SqliteQuotingDbContext>())
        {
            var opportunity = await db.Opportunities.SingleAsync(o => o.ContactId == contactId, TestContext.Current.CancellationToken);
            var gate = Gates.Stage(QuotingTasks.Known);
            db.Activities.Add(opportunity.LogActivity(ActivityKind.Demo, "demo", Now, "alice", gate, new ProgressOptions(), Now));
            var first = opportunity.DraftQuote("EUR", today, [QuoteLineItem.Price(1, "A", "a", 2, 1000, 0)], gate, Now);
            opportunity.Send(first, gate, new ProgressOptions(), Now);
            opportunity.DraftQuote("EUR", today, [QuoteLineItem.Price(1, "A", "a", 1, 1000, 0),
                QuoteLineItem.Price(2, "B", "b", 3, 500, 10)], gate, Now);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using (var db = Open<SqliteQuotingDbContext>())
        {
            var stored = await db.Opportunities.SingleAsync(o => o.ContactId == contactId, TestContext.Current.CancellationToken);
            Assert.Equal((1, true), (stored.ActivityCount, stored.DemoOrSampleGiven));
            Assert.Equal("demo", (await db.Activities.SingleAsync(TestContext.Current.CancellationToken)).Summary);
            Assert.Equal([QuoteStatus.Superseded, QuoteStatus.Draft], stored.Quotes.OrderBy(q => q.Version).Select(q => q.Status));
            Assert.Equal(1000 + 1350, stored.CurrentQuote!.TotalMinor);
            Assert.Equal(2, stored.CurrentQuote.Lines.Count);
        }
    }

    [Fact]
    public async Task A_case_keeps_its_checklist_evidence_and_interactions()
    {
        var contactId = Guid.CreateVersion7();
        await using (var db = Open<SqliteQualificationDbContext>())
        {
            db.Cases.Add(new QualificationCase { ContactId = contactId, Owner = "alice", Name = "Ada", OpenedAt = Now });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        await using (var db = Open<SqliteQualificationDbContext>())
        {
            var stored = await db.Cases.SingleAsync(c => c.ContactId == contactId, TestContext.Current.CancellationToken);
            var gate = Gates.Stage(QualificationTasks.Known);
            db.Interactions.Add(stored.LogInteraction(InteractionKind.Visit, "visited", Now, "alice", gate, Now));
            stored.RecordCreditCheck(CreditPolicy.Check(new CreditPolicyOptions
            {
                Version = "c1",
                UnsecuredLimits = new() { ["EUR"] = 10 },
            }, "EUR", 500, Now, "bob"), gate);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        await using (var db = Open<SqliteQualificationDbContext>())
        {
            var stored = await db.Cases.SingleAsync(c => c.ContactId == contactId, TestContext.Current.CancellationToken);
            Assert.Equal(CaseStatus.InProgress, stored.Status);
            Assert.Equal(1, stored.InteractionCount);
            var interaction = await db.Interactions.SingleAsync(TestContext.Current.CancellationToken);
            Assert.Equal((contactId, "visited"), (interaction.ContactId, interaction.Summary));
            Assert.Equal(new HashSet<string> { QualificationTasks.FirstInteraction, QualificationTasks.CreditApproved },
                stored.DoneTasks());
            Assert.Equal(("bob", 500L, Now), (stored.CreditCheck!.CheckedBy, stored.CreditCheck.ApprovedMinor, stored.CreditCheck.CheckedAt));
        }
    }

    [Fact]
    public async Task A_promoted_case_takes_a_new_credit_check_and_its_limit_goes_to_the_outbox()
    {
        var contactId = Guid.CreateVersion7();
        var policy = new CreditPolicyOptions { Version = "c1", UnsecuredLimits = new() { ["EUR"] = 100_000 } };
        await using (var db = Open<SqliteQualificationDbContext>())
        {
            var opened = new QualificationCase { ContactId = contactId, Owner = "alice", Name = "Ada", OpenedAt = Now };
            opened.RecordCreditCheck(CreditPolicy.Check(policy, "EUR", 500, Now, "bob"), Gates.Stage(QualificationTasks.Known));
            opened.Promote(Gates.Stage(QualificationTasks.Known), Now);
            db.Cases.Add(opened);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        await using (var db = Open<SqliteQualificationDbContext>())
        {
            var stored = await db.Cases.SingleAsync(c => c.ContactId == contactId, TestContext.Current.CancellationToken);
            stored.RecordCreditCheck(CreditPolicy.Check(policy, "EUR", 900, Now, "bob"), Gates.Stage(QualificationTasks.Known));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        await using (var db = Open<SqliteQualificationDbContext>())
        {
            var stored = await db.Cases.SingleAsync(c => c.ContactId == contactId, TestContext.Current.CancellationToken);
            Assert.Equal(900L, stored.CreditCheck!.ApprovedMinor);
            Assert.Contains(await db.Outbox.Select(m => m.Type).ToListAsync(TestContext.Current.CancellationToken),
                type => type.EndsWith(nameof(CreditLimitChanged), StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task One_quote_makes_one_order_even_when_the_check_is_raced()
    {
        var quoteId = Guid.CreateVersion7();
        Order NewOrder() => new()
        {
            OrderId = Guid.CreateVersion7(),
            ContactId = Guid.CreateVersion7(),
            QuoteId = quoteId,
            Owner = "alice",
            Currency = "EUR",
            TotalMinor = 100,
            PlacedAt = Now,
        };
        await using (var db = Open<SqliteOrdersDbContext>())
        {
            db.Orders.Add(NewOrder());
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        await using (var db = Open<SqliteOrdersDbContext>())
        {
            db.Orders.Add(NewOrder());
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task A_concurrent_edit_of_the_same_record_is_detected()
    {
        var contactId = Guid.CreateVersion7();
        await using (var db = Open<SqliteQualificationDbContext>())
        {
            db.Cases.Add(new QualificationCase { ContactId = contactId, Owner = "alice", Name = "Ada", OpenedAt = Now });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        await using var first = Open<SqliteQualificationDbContext>();
        await using var second = Open<SqliteQualificationDbContext>();
        var a = await first.Cases.SingleAsync(c => c.ContactId == contactId, TestContext.Current.CancellationToken);
        var b = await second.Cases.SingleAsync(c => c.ContactId == contactId, TestContext.Current.CancellationToken);

        a.RecordInterest(true, "yes", "alice", Gates.Stage(QualificationTasks.Known), Now);
        b.RecordInterest(false, "no", "bob", Gates.Stage(QualificationTasks.Known), Now);
        await first.SaveChangesAsync(TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_page_of_cases_reads_the_latest_interactions_of_each_in_one_query()
    {
        var gate = Gates.Stage(QualificationTasks.Known);
        var (busy, quiet, none) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        await using (var db = Open<SqliteQualificationDbContext>())
        {
            foreach (var contactId in new[] { busy, quiet, none })
            {
                var opened = QualificationCase.Open(new Contracts.LeadQualified(Guid.CreateVersion7(), contactId, Now,
                    "alice", [], "lead-1", "Ada", null, null, null), gate, Now);
                db.Cases.Add(opened);
                var count = contactId == busy ? 8 : contactId == quiet ? 2 : 0;
                for (var n = 0; n < count; n++)
                {
                    db.Interactions.Add(opened.LogInteraction(InteractionKind.Call, $"call {n}", Now.AddHours(n), "alice", gate, Now));
                }
            }
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        await using (var db = Open<SqliteQualificationDbContext>())
        {
            var latest = await db.Cases.LatestOfEachAsync(db.Interactions, [busy, quiet, none], 3, TestContext.Current.CancellationToken);
            Assert.Equal(["call 7", "call 6", "call 5"], latest[busy].Select(i => i.Summary));
            Assert.Equal(["call 1", "call 0"], latest[quiet].Select(i => i.Summary));
            Assert.Empty(latest[none]);
            Assert.Empty(await db.Cases.LatestOfEachAsync(db.Interactions, [], 3, TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task Every_save_that_changes_a_record_moves_its_revision_and_writes_its_events()
    {
        var gate = Gates.Stage(QualificationTasks.Known);
        var contactId = Guid.CreateVersion7();
        await using (var db = Open<SqliteQualificationDbContext>())
        {
            db.Cases.Add(QualificationCase.Open(new Contracts.LeadQualified(Guid.CreateVersion7(), contactId, Now,
                "alice", [], "lead-1", "Ada", null, null, null), gate, Now));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        var revisions = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            await using var db = Open<SqliteQualificationDbContext>();
            var stored = await db.Cases.SingleAsync(c => c.ContactId == contactId, TestContext.Current.CancellationToken);
            db.Interactions.Add(stored.LogInteraction(InteractionKind.Call, $"call {i}", Now, "alice", gate, Now));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            revisions.Add(stored.Revision);
        }
        await using (var db = Open<SqliteQualificationDbContext>())
        {
            var unchanged = await db.Cases.SingleAsync(c => c.ContactId == contactId, TestContext.Current.CancellationToken);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            Assert.Equal(3, unchanged.Revision);
            var events = (await db.Outbox.OrderBy(m => m.Sequence).ToListAsync(TestContext.Current.CancellationToken))
                .Select(m => (Contracts.IStageEvent)m.Deserialize()).ToList();
            Assert.Equal([1L, 2, 3, 4], events.Select(e => e.Sequence));
            Assert.All(events, e => Assert.IsType<Contracts.ChecklistChanged>(e));
        }
        Assert.Equal([1, 2, 3], revisions);
    }

    [Fact]
    public async Task A_hand_off_that_arrives_after_the_contact_was_erased_is_stored_erased()
    {
        var contactId = Guid.CreateVersion7();
        await using (var db = Open<SqliteQualificationDbContext>())
        {
            await db.MarkErasedAsync(contactId, Now, TestContext.Current.CancellationToken);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        await using (var db = Open<SqliteQualificationDbContext>())
        {
            // A LeadQualified that waited in a redelivery queue while the erasure ran.
            db.Cases.Add(new QualificationCase
            {
                ContactId = contactId,
                Owner = "alice",
                Name = "Ada",
                Email = "ada@example.com",
                Phone = "+1 555",
                OpenedAt = Now,
            });
            db.Cases.Add(new QualificationCase { ContactId = Guid.CreateVersion7(), Owner = "alice", Name = "Grace", OpenedAt = Now });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        await using (var db = Open<SqliteQualificationDbContext>())
        {
            var late = await db.Cases.SingleAsync(c => c.ContactId == contactId, TestContext.Current.CancellationToken);
            Assert.Equal((PersonalData.ErasedName, null, null), (late.Name, late.Email, late.Phone));
            Assert.Equal("Grace", (await db.Cases.SingleAsync(c => c.ContactId != contactId, TestContext.Current.CancellationToken)).Name);
        }
    }

    [Fact]
    public async Task Logs_kept_before_their_records_counted_them_are_counted_by_the_migration()
    {
        var gate = Gates.Stage(QualificationTasks.Known);
        var contactId = Guid.CreateVersion7();
        await using (var db = Open<SqliteQualificationDbContext>())
        {
            var opened = QualificationCase.Open(new Contracts.LeadQualified(Guid.CreateVersion7(), contactId, Now,
                "alice", [], "lead-1", "Ada", null, null, null), gate, Now);
            db.Cases.Add(opened);
            db.Interactions.Add(opened.LogInteraction(InteractionKind.Call, "one", Now, "alice", gate, Now));
            db.Interactions.Add(opened.LogInteraction(InteractionKind.Call, "two", Now.AddHours(2), "alice", gate, Now));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            // Back to the schema without the counts, and up again: the rows are those of an older installation.
            await db.GetService<IMigrator>().MigrateAsync("Erasure", TestContext.Current.CancellationToken);
            await db.Database.MigrateAsync(TestContext.Current.CancellationToken);
        }
        await using (var db = Open<SqliteQualificationDbContext>())
        {
            var migrated = await db.Cases.SingleAsync(TestContext.Current.CancellationToken);
            Assert.Equal((2, Now.AddHours(2)), (migrated.InteractionCount, migrated.LastInteractionAt));
        }

        await using (var db = Open<SqliteQuotingDbContext>())
        {
            var opportunity = new Opportunity { ContactId = contactId, Owner = "alice", Name = "Ada", OpenedAt = Now };
            db.Opportunities.Add(opportunity);
            var quoting = Gates.Stage(QuotingTasks.Known);
            db.Activities.Add(opportunity.LogActivity(ActivityKind.Call, "call", Now, "alice", quoting, new ProgressOptions(), Now));
            db.Activities.Add(opportunity.LogActivity(ActivityKind.Sample, "sample", Now, "alice", quoting, new ProgressOptions(), Now));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            await db.GetService<IMigrator>().MigrateAsync("Erasure", TestContext.Current.CancellationToken);
            await db.Database.MigrateAsync(TestContext.Current.CancellationToken);
        }
        await using (var db = Open<SqliteQuotingDbContext>())
        {
            var migrated = await db.Opportunities.SingleAsync(TestContext.Current.CancellationToken);
            Assert.Equal((2, true), (migrated.ActivityCount, migrated.DemoOrSampleGiven));
        }
    }

    private TContext Open<TContext>() where TContext : DbContext
    {
        var options = new DbContextOptionsBuilder<TContext>()
            .UseSqlite($"Data Source={Path.Combine(_folder, typeof(TContext).Name + ".db")};Pooling=false")
            .Options;
        var db = (TContext)Activator.CreateInstance(typeof(TContext), options)!;
        db.Database.Migrate();
        return db;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
