using Funnel.Contracts;
using Funnel.Infrastructure.Gates;
using Funnel.Quoting.Domain;

namespace Funnel.UnitTests;

public class QuotingTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-03T12:00:00Z");
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);

    private static readonly ProgressOptions Progress = new()
    {
        Milestones = new() { [QuotingTasks.Promoted] = 10, [QuotingTasks.DemoOrSample] = 30, [QuotingTasks.QuoteSent] = 60 },
    };

    private static readonly StageGate Gate = Gates.Stage(QuotingTasks.Known);

    [Theory]
    [InlineData(2, 123450, 10, 222210)] // 2 x 1234.50 less 10% = 2222.10
    [InlineData(3, 333, 0, 999)]
    [InlineData(1, 999, 50, 500)] // 4.995 rounds half away from zero to 5.00
    [InlineData(1.5, 1000, 100, 0)]
    public void A_line_is_quantity_times_price_less_discount_to_the_cent(
        decimal quantity, long unitPriceMinor, decimal discount, long expectedMinor) =>
        Assert.Equal(expectedMinor, QuoteLineItem.Price(1, "S", "D", quantity, unitPriceMinor, discount).TotalMinor);

    [Fact]
    public void A_new_quote_is_the_next_version_and_supersedes_the_open_ones()
    {
        var opportunity = NewOpportunity();
        var first = opportunity.DraftQuote("EUR", Today.AddDays(30), [Line(100)], Gate, Now);
        opportunity.Send(first, Gate, Progress, Now);
        var second = opportunity.DraftQuote("EUR", Today.AddDays(30), [Line(100), Line(50, 2)], Gate, Now);

        Assert.Equal((1, 2), (first.Version, second.Version));
        Assert.Equal(QuoteStatus.Superseded, first.Status);
        Assert.Equal(QuoteStatus.Draft, second.Status);
        Assert.Equal(150, second.TotalMinor);
        Assert.Same(second, opportunity.CurrentQuote);
    }

    [Fact]
    public void Accepting_needs_a_sent_valid_current_quote()
    {
        var opportunity = NewOpportunity();
        var expired = opportunity.DraftQuote("EUR", Today.AddDays(-1), [Line(100)], Gate, Now);
        Assert.Equal(new HashSet<string> { QuotingTasks.QuoteCurrent }, opportunity.DoneTasks(expired, Today));

        opportunity.Send(expired, Gate, Progress, Now);
        var current = opportunity.DraftQuote("EUR", Today, [Line(100)], Gate, Now);
        Assert.DoesNotContain(QuotingTasks.QuoteCurrent, opportunity.DoneTasks(expired, Today));

        opportunity.Send(current, Gate, Progress, Now);
        Assert.Equal(new HashSet<string> { QuotingTasks.QuoteSent, QuotingTasks.QuoteValid, QuotingTasks.QuoteCurrent },
            opportunity.DoneTasks(current, Today));
        Assert.DoesNotContain(QuotingTasks.QuoteValid, opportunity.DoneTasks(current, Today.AddDays(1)));
    }

    [Fact]
    public void A_demo_or_sample_counts_for_the_optional_task()
    {
        var opportunity = NewOpportunity();
        opportunity.LogActivity(ActivityKind.Call, "call", Now, "alice", Gate, Progress, Now);
        Assert.DoesNotContain(QuotingTasks.DemoOrSample, opportunity.DoneTasks(null, Today));

        opportunity.LogActivity(ActivityKind.Sample, "sent a sample", Now, "alice", Gate, Progress, Now);
        Assert.Contains(QuotingTasks.DemoOrSample, opportunity.DoneTasks(null, Today));
    }

    [Fact]
    public void Milestones_raise_the_percent_but_never_overwrite_the_salespersons_value()
    {
        var opportunity = Opportunity.Open(new ProspectQualified(Guid.CreateVersion7(), Guid.CreateVersion7(), Now,
            "alice", [], "qualification-1", "Ada", null, null), Gate, Progress, Now);
        Assert.Equal(10, opportunity.PercentComplete);
        opportunity.Send(opportunity.DraftQuote("EUR", Today, [Line(100)], Gate, Now), Gate, Progress, Now);
        Assert.Equal(60, opportunity.PercentComplete);
        opportunity.LogActivity(ActivityKind.Demo, "demo", Now, "alice", Gate, Progress, Now); // never lowers
        Assert.Equal(60, opportunity.PercentComplete);

        opportunity.SetProgress(40, Today.AddDays(10), Gate, Now);
        opportunity.Send(opportunity.DraftQuote("EUR", Today, [Line(100)], Gate, Now), Gate, Progress, Now);
        Assert.Equal(40, opportunity.PercentComplete);
        Assert.Equal(Today.AddDays(10), opportunity.ExpectedCloseDate);
    }

    [Fact]
    public void Progress_out_of_range_or_closing_in_the_past_is_refused()
    {
        var opportunity = NewOpportunity();
        Assert.Throws<ArgumentOutOfRangeException>(() => opportunity.SetProgress(101, null, Gate, Now));
        Assert.Throws<ArgumentOutOfRangeException>(() => opportunity.SetProgress(50, Today.AddDays(-1), Gate, Now));
    }

    [Fact]
    public void Only_a_sent_quote_is_accepted_and_then_the_opportunity_is_won()
    {
        var opportunity = NewOpportunity();
        var quote = opportunity.DraftQuote("EUR", Today, [Line(100)], Gate, Now);
        Assert.Throws<InvalidQuoteTransitionException>(() => opportunity.Accept(quote, Gates.Stage(QuotingTasks.Known, "quoting-1"), Now));

        opportunity.Send(quote, Gate, Progress, Now);
        opportunity.Accept(quote, Gates.Stage(QuotingTasks.Known, "quoting-1"), Now);

        Assert.Equal((QuoteStatus.Accepted, OpportunityStatus.Won, 100),
            (quote.Status, opportunity.Status, opportunity.PercentComplete));
        Assert.Equal("quoting-1", quote.AcceptedUnderGate);
        Assert.Throws<InvalidQuoteTransitionException>(() => opportunity.Lose("late", Now));
    }

    [Fact]
    public void A_rejected_quote_leaves_the_opportunity_open_for_a_new_version()
    {
        var opportunity = NewOpportunity();
        var quote = opportunity.DraftQuote("EUR", Today, [Line(100)], Gate, Now);
        opportunity.Reject(quote, "too dear", Gate, Now);

        Assert.Equal((QuoteStatus.Rejected, "too dear"), (quote.Status, quote.RejectedReason));
        Assert.Equal(OpportunityStatus.Open, opportunity.Status);
        Assert.Equal(2, opportunity.DraftQuote("EUR", Today, [Line(90)], Gate, Now).Version);
    }

    [Fact]
    public void Totals_are_bounded_so_no_sum_can_overflow()
    {
        Assert.Equal(Money.MaxMinorUnits, Money.Sum([Money.MaxMinorUnits - 1, 1]));
        Assert.Throws<OverflowException>(() => Money.Sum([Money.MaxMinorUnits, 1]));
        Assert.Throws<OverflowException>(() => Money.Sum([long.MaxValue, long.MaxValue]));
    }

    [Fact]
    public void A_quote_beyond_the_approved_limit_or_in_another_currency_is_not_sent_until_a_new_check_allows_it()
    {
        var gate = Gates.Stage(QuotingTasks.Known, "quoting-2", QuotingTasks.QuoteSent, QuotingTasks.WithinCreditLimit);
        var contact = Guid.CreateVersion7();
        var opportunity = Opportunity.Open(new ProspectQualified(Guid.CreateVersion7(), contact, Now, "alice", [],
            "qualification-1", "Ada", null, new Money("EUR", 10_000), Sequence: 7), gate, Progress, Now);

        var over = opportunity.DraftQuote("EUR", Today, [Line(10_001)], gate, Now);
        var refused = Assert.Throws<GateUnmetException>(() => opportunity.Send(over, gate, Progress, Now));
        Assert.Equal([QuotingTasks.WithinCreditLimit], refused.Unmet);
        var dollars = opportunity.DraftQuote("USD", Today, [Line(100)], gate, Now);
        Assert.Equal([QuotingTasks.WithinCreditLimit],
            Assert.Throws<GateUnmetException>(() => opportunity.Send(dollars, gate, Progress, Now)).Unmet);

        // A later check raises the limit; an older one arriving after it changes nothing.
        opportunity.ChangeCreditLimit(new CreditLimitChanged(Guid.CreateVersion7(), contact, Now, "alice",
            new Money("USD", 50_000), 9), gate, Now);
        opportunity.ChangeCreditLimit(new CreditLimitChanged(Guid.CreateVersion7(), contact, Now, "alice",
            new Money("EUR", 1), 8), gate, Now);
        var again = opportunity.DraftQuote("USD", Today, [Line(100)], gate, Now);
        opportunity.Send(again, gate, Progress, Now);
        Assert.Equal(("USD", 50_000L), (opportunity.CreditCurrency, opportunity.CreditLimitMinor!.Value));

        // A rejected check withdraws the limit: the sent quote can no longer be accepted.
        opportunity.ChangeCreditLimit(new CreditLimitChanged(Guid.CreateVersion7(), contact, Now, "alice", null, 10),
            gate, Now);
        Assert.Equal([QuotingTasks.WithinCreditLimit],
            Assert.Throws<GateUnmetException>(() => opportunity.Accept(again, gate, Now)).Unmet);
    }

    private static QuoteLineItem Line(long unitPriceMinor, int number = 1) =>
        QuoteLineItem.Price(number, $"SKU-{number}", "item", 1, unitPriceMinor, 0);

    private static Opportunity NewOpportunity() =>
        new() { ContactId = Guid.CreateVersion7(), Owner = "alice", Name = "Ada", OpenedAt = Now };
}
