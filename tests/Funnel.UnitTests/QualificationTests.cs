using Funnel.Contracts;
using Funnel.Qualification.Domain;

namespace Funnel.UnitTests;

public class QualificationTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-02T09:00:00Z");

    private static readonly CreditPolicyOptions Policy = new()
    {
        Version = "credit-3",
        UnsecuredLimits = new() { ["EUR"] = 50_000m },
    };

    [Fact]
    public void Credit_up_to_the_unsecured_limit_is_approved()
    {
        var check = CreditPolicy.Check(Policy, "EUR", 5_000_000, Now, "alice");

        Assert.True(check.Approved);
        Assert.Equal(5_000_000, check.ApprovedMinor);
        Assert.Equal("credit-3", check.PolicyVersion);
        Assert.Contains("within the unsecured limit of 50000.00 EUR", check.Reason);
    }

    [Fact]
    public void Credit_above_the_limit_or_in_an_unknown_currency_is_rejected_with_the_reason()
    {
        var above = CreditPolicy.Check(Policy, "EUR", 5_000_001, Now, "alice");
        var unknown = CreditPolicy.Check(Policy, "JPY", 100, Now, "alice");

        Assert.False(above.Approved);
        Assert.Equal(0, above.ApprovedMinor);
        Assert.Contains("50000.01 EUR is above the unsecured limit of 50000.00 EUR", above.Reason);
        Assert.False(unknown.Approved);
        Assert.Contains("no credit in JPY", unknown.Reason);
    }

    [Fact]
    public void The_first_interaction_ends_the_bridge_stage_and_ticks_its_task()
    {
        var opened = NewCase();
        Assert.Equal(CaseStatus.AwaitingFirstInteraction, opened.Status);

        opened.LogInteraction(InteractionKind.Call, "Intro", Now, "alice", Gates.Stage(QualificationTasks.Known), Now);
        opened.LogInteraction(InteractionKind.Email, "Follow-up", Now.AddHours(1), "alice", Gates.Stage(QualificationTasks.Known), Now);

        Assert.Equal(CaseStatus.InProgress, opened.Status);
        var task = Assert.Single(opened.Tasks);
        Assert.Equal((QualificationTasks.FirstInteraction, Now), (task.Name, task.DoneAt));
        Assert.Equal((2, Now.AddHours(1)), (opened.InteractionCount, opened.LastInteractionAt));
    }

    [Fact]
    public void The_latest_interest_and_credit_evidence_count()
    {
        var opened = NewCase();
        opened.RecordInterest(true, "wants a demo", "alice", Gates.Stage(QualificationTasks.Known), Now);
        opened.RecordCreditCheck(CreditPolicy.Check(Policy, "EUR", 100, Now, "alice"), Gates.Stage(QualificationTasks.Known));
        Assert.Equal(new HashSet<string> { QualificationTasks.InterestConfirmed, QualificationTasks.CreditApproved },
            opened.DoneTasks());

        opened.RecordInterest(false, "went cold", "alice", Gates.Stage(QualificationTasks.Known), Now);
        opened.RecordCreditCheck(CreditPolicy.Check(Policy, "EUR", 10_000_000, Now, "bob"), Gates.Stage(QualificationTasks.Known));

        Assert.Empty(opened.DoneTasks());
        Assert.Equal("bob", opened.CreditCheck!.CheckedBy);
    }

    [Fact]
    public void A_closed_case_does_not_change()
    {
        var promoted = NewCase();
        promoted.Promote(Gates.Stage(QualificationTasks.Known, "qualification-1"), Now);
        var lost = NewCase();
        lost.Disqualify("no budget", Now);

        Assert.Equal("qualification-1", promoted.PromotedUnderGate);
        Assert.Throws<InvalidCaseTransitionException>(() => promoted.LogInteraction(InteractionKind.Call, "x", Now, "a", Gates.Stage(QualificationTasks.Known), Now));
        Assert.Throws<InvalidCaseTransitionException>(() => lost.Promote(Gates.Stage(QualificationTasks.Known), Now));
        Assert.Equal("no budget", lost.LostReason);
    }

    [Fact]
    public void A_credit_check_after_the_promotion_changes_the_limit_and_tells_quoting()
    {
        var promoted = NewCase();
        promoted.Promote(Gates.Stage(QualificationTasks.Known), Now);

        promoted.RecordCreditCheck(CreditPolicy.Check(Policy, "EUR", 100, Now, "alice"), Gates.Stage(QualificationTasks.Known));
        promoted.RecordCreditCheck(CreditPolicy.Check(Policy, "EUR", 10_000_000, Now, "bob"), Gates.Stage(QualificationTasks.Known));

        var changes = promoted.RecordedEvents.OfType<CreditLimitChanged>().ToList();
        Assert.Equal([new Money("EUR", 100), null], changes.Select(c => c.ApprovedCreditLimit));
        Assert.True(changes[1].Sequence > changes[0].Sequence);
        Assert.Equal(CaseStatus.Promoted, promoted.Status);
    }

    private static QualificationCase NewCase() =>
        new() { ContactId = Guid.CreateVersion7(), Owner = "alice", Name = "Ada", OpenedAt = Now };
}
