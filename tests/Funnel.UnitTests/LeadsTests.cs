using Funnel.Infrastructure.Domain;
using Funnel.Leads.Domain;

namespace Funnel.UnitTests;

public class LeadsTests
{
    [Theory]
    [InlineData("  Ada@Engines.Example ", "ada@engines.example")]
    [InlineData("ada@engines", null)]
    [InlineData("not an email", null)]
    [InlineData("", null)]
    public void Emails_are_compared_trimmed_and_lower_case(string input, string? expected) =>
        Assert.Equal(expected, ContactDetails.NormalizeEmail(input));

    [Theory]
    [InlineData("+44 (20) 7946-0001", "+442079460001")]
    [InlineData("020 7946 0001", "02079460001")]
    [InlineData("12345", null)]
    [InlineData("+1 555 CALL NOW", null)]
    [InlineData("1234567890123456", null)]
    public void Phones_are_compared_as_digits_with_the_leading_plus(string input, string? expected) =>
        Assert.Equal(expected, ContactDetails.NormalizePhone(input));

    [Fact]
    public void Owners_go_round_robin_unless_given()
    {
        string[] team = ["alice", "bob"];

        Assert.Equal("carol", OwnerAssignment.Assign(" carol ", team, 7));
        Assert.Equal("alice", OwnerAssignment.Assign(null, team, 0));
        Assert.Equal("bob", OwnerAssignment.Assign(null, team, 1));
        Assert.Equal("alice", OwnerAssignment.Assign("", team, 2));
        Assert.Null(OwnerAssignment.Assign(null, [], 3));
    }

    [Fact]
    public void A_lead_has_done_the_tasks_its_details_show()
    {
        var lead = NewLead();
        Assert.Equal(new HashSet<string> { LeadTasks.OwnerAssigned }, lead.DoneTasks());

        lead.NormalizedPhone = "+442079460001";
        Assert.Equal(new HashSet<string> { LeadTasks.ContactReachable, LeadTasks.OwnerAssigned }, lead.DoneTasks());

        lead.Company = "Analytical Engines";
        Assert.Equal(LeadTasks.Known, lead.DoneTasks());
    }

    [Fact]
    public void A_lead_moves_once_and_records_the_gate_version()
    {
        var lead = NewLead();
        var at = DateTimeOffset.Parse("2026-11-01T10:00:00Z");

        lead.Qualify(Gates.Stage(LeadTasks.Known, "lead-7"), at);

        Assert.Equal(LeadStatus.Qualified, lead.Status);
        Assert.Equal("lead-7", lead.QualifiedUnderGate);
        Assert.Equal(at, lead.QualifiedAt);
        Assert.Throws<InvalidLeadTransitionException>(() => lead.Disqualify("changed mind", at));
        Assert.Throws<InvalidLeadTransitionException>(() => lead.Qualify(Gates.Stage(LeadTasks.Known, "lead-7"), at));
    }

    [Fact]
    public void A_disqualified_lead_keeps_its_reason_and_cannot_be_qualified()
    {
        var lead = NewLead();
        lead.Disqualify("no budget", DateTimeOffset.UnixEpoch);

        Assert.Equal(LeadStatus.Lost, lead.Status);
        Assert.Equal("no budget", lead.LostReason);
        Assert.IsAssignableFrom<InvalidTransitionException>(
            Record.Exception(() => lead.Qualify(Gates.Stage(LeadTasks.Known), DateTimeOffset.UnixEpoch)));
    }

    [Fact]
    public void Only_a_lost_lead_is_reopened_and_it_is_new_again()
    {
        var lead = NewLead();
        var gate = Gates.Stage(LeadTasks.Known);
        Assert.Throws<InvalidLeadTransitionException>(() => lead.Reopen(gate, DateTimeOffset.UnixEpoch));

        lead.Disqualify("no budget", DateTimeOffset.UnixEpoch);
        lead.Reopen(gate, DateTimeOffset.UnixEpoch);

        Assert.Equal((LeadStatus.New, null), (lead.Status, lead.LostReason));
        lead.Qualify(gate, DateTimeOffset.UnixEpoch);
    }

    private static Lead NewLead() => new() { ContactId = Guid.CreateVersion7(), Name = "Ada", Owner = "alice" };

    [Theory]
    [InlineData("Łukasz Żółć", "lukasz zolc")]
    [InlineData("ŁUKASZ ŻÓŁĆ", "lukasz zolc")]
    [InlineData("Søren Kierkegaard-Ærø", "soren kierkegaard aero")]
    [InlineData("Straße Đorđe İstanbul", "strasse dorde istanbul")]
    [InlineData("ada.lovelace@engines.example", "ada lovelace engines example")]
    public void Search_folds_case_and_diacritics_and_splits_on_anything_but_letters_and_digits(string text, string words)
    {
        Assert.Equal(words.Split(' '), SearchText.Words(text));
    }

    [Fact]
    public void A_prefix_range_holds_the_words_that_start_with_it_and_no_other()
    {
        var (from, to) = SearchText.PrefixRange("luk");
        string[] words = ["luk", "lukasz", "lukz", "luj", "lul", "lu", "mlukasz"];

        Assert.Equal(["luk", "lukasz", "lukz"],
            words.Where(w => string.CompareOrdinal(w, from) >= 0 && string.CompareOrdinal(w, to) < 0));
    }

    [Fact]
    public void A_lead_keeps_its_search_words_in_line_with_its_details()
    {
        var lead = Lead.Capture(new ContactCard("Łukasz Żółć", "Zakład", "l@z.example", null, "l@z.example", null),
            LeadSource.Web, null, "alice", null, Gates.Stage(LeadTasks.Known), DateTimeOffset.UtcNow);
        Assert.Equal(["lukasz", "zolc", "zaklad", "l", "z", "example"], lead.SearchWords.Select(w => w.Word));

        var kept = lead.SearchWords[0];
        lead.Change(new ContactCard("Łukasz Nowak", null, "l@z.example", null, "l@z.example", null), "alice", null,
            Gates.Stage(LeadTasks.Known), DateTimeOffset.UtcNow);
        Assert.Equal(["lukasz", "l", "z", "example", "nowak"], lead.SearchWords.Select(w => w.Word));
        Assert.Same(kept, lead.SearchWords[0]);
    }
}
