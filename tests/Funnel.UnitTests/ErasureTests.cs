using System.Text.Json.Nodes;
using Funnel.Infrastructure.Domain;
using Funnel.Leads.Domain;

namespace Funnel.UnitTests;

/// <summary>What an erasure takes and what it leaves (GDPR article 17).</summary>
public class ErasureTests
{
    [Fact]
    public void A_stored_event_loses_its_personal_fields_and_keeps_its_ids_amounts_and_nested_names()
    {
        var contactId = Guid.CreateVersion7();
        var scrubbed = JsonNode.Parse(PersonalData.Scrub($$"""
            {"eventId":"{{Guid.CreateVersion7()}}","contactId":"{{contactId}}","name":"Ada Lovelace","company":"Engines",
             "email":"ada@engines.example","phone":"+44 20 7946 0000","total":{"currency":"EUR","minorUnits":1000},
             "lines":[{"name":"Difference engine"}]}
            """))!;

        Assert.All(new[] { "name", "company", "email", "phone" }, field => Assert.Null(scrubbed[field]));
        Assert.Equal(contactId.ToString(), scrubbed["contactId"]!.GetValue<string>());
        Assert.Equal(1000, scrubbed["total"]!["minorUnits"]!.GetValue<int>());
        Assert.Equal("Difference engine", scrubbed["lines"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void An_erased_lead_keeps_its_stage_and_owner_and_cannot_be_found_by_its_words()
    {
        var lead = Lead.Capture(new ContactCard("Ada Lovelace", "Engines", "ada@engines.example", "+44 20 7946 0000",
                "ada@engines.example", "+442079460000"), LeadSource.Web, null, "alice", "Met at the fair",
            Gates.Stage(LeadTasks.Known), DateTimeOffset.UtcNow);

        lead.ErasePersonalData();

        Assert.Equal((PersonalData.ErasedName, null, null, null, null), (lead.Name, lead.Company, lead.Email, lead.Phone, lead.Notes));
        Assert.Equal((null, null), (lead.NormalizedEmail, lead.NormalizedPhone));
        Assert.Empty(lead.SearchWords);
        Assert.Equal(("alice", LeadStatus.New), (lead.Owner, lead.Status));
    }

    [Fact]
    public void An_erasure_is_done_once_every_service_confirmed_and_a_second_confirmation_keeps_the_first_time()
    {
        var at = DateTimeOffset.Parse("2026-12-01T10:00:00Z");
        var erasure = Erasure.Request(Guid.CreateVersion7(), "maria", at);

        foreach (var service in Erasure.Services.SkipLast(1))
        {
            erasure.Confirm(service, at.AddSeconds(1));
        }
        Assert.False(erasure.Done);
        erasure.Confirm("pipeline", at.AddSeconds(2));
        erasure.Confirm("pipeline", at.AddSeconds(9));

        Assert.True(erasure.Done);
        Assert.Equal(at.AddSeconds(2), erasure.Steps.Single(s => s.Service == "pipeline").DoneAt);
    }
}
