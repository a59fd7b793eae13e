using Funnel.Contracts;
using Funnel.Infrastructure.Domain;
using Funnel.Infrastructure.Gates;

namespace Funnel.Leads.Domain;

public enum LeadSource { Convention, Referral, Directory, Web, Import, Other }

public enum LeadStatus { New, Qualified, Lost }

/// <summary>How to reach a lead, as given and in the form duplicates are judged by.</summary>
public sealed record ContactCard(
    string Name, string? Company, string? Email, string? Phone, string? NormalizedEmail, string? NormalizedPhone);

/// <summary>A contact at the first stage: details, no interaction yet.</summary>
public sealed class Lead : StageRecord, IOwnedRecord, IHoldsPersonalData
{
    public required string Name { get; set; }
    public string? Company { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }

    /// <summary>Email and phone in the form duplicates are judged by (unique indexes).</summary>
    public string? NormalizedEmail { get; set; }
    public string? NormalizedPhone { get; set; }

    public LeadSource Source { get; init; }
    public Guid? ReferredBy { get; init; }

    /// <summary>Every contact has an owner from capture on: the hand-offs and access follow it.</summary>
    public required string Owner { get; set; }

    public string? Notes { get; set; }

    /// <summary>The folded words of the name, company and email that search matches (kept with every change).</summary>
    public List<SearchWord> SearchWords { get; private set; } = [];
    public LeadStatus Status { get; private set; }
    public DateTimeOffset CapturedAt { get; init; }
    public DateTimeOffset? QualifiedAt { get; private set; }

    /// <summary>The gate version that let the lead through.</summary>
    public string? QualifiedUnderGate { get; private set; }

    public DateTimeOffset? LostAt { get; private set; }
    public string? LostReason { get; private set; }

    public static Lead Capture(ContactCard card, LeadSource source, Guid? referredBy, string owner, string? notes,
        StageGate gate, DateTimeOffset at)
    {
        var lead = new Lead
        {
            ContactId = Guid.CreateVersion7(),
            Name = card.Name,
            Owner = RequiredOwner(owner),
            Source = source,
            ReferredBy = referredBy,
            Notes = notes,
            CapturedAt = at,
        };
        lead.Reach(card);
        lead.Record(sequence => new LeadCaptured(Guid.CreateVersion7(), lead.ContactId, at, lead.Owner,
            gate.Unmet(lead.DoneTasks()), lead.Name, lead.Company, WireNames.Of(source), sequence));
        return lead;
    }

    /// <summary>The lead gate's tasks this lead has done (the gate says which are required).</summary>
    public IReadOnlySet<string> DoneTasks()
    {
        var done = new HashSet<string> { LeadTasks.OwnerAssigned };
        if (NormalizedEmail is not null || NormalizedPhone is not null)
        {
            done.Add(LeadTasks.ContactReachable);
        }
        if (!string.IsNullOrWhiteSpace(Company))
        {
            done.Add(LeadTasks.CompanyKnown);
        }
        return done;
    }

    /// <summary>
    /// New details or a new owner; while the lead is new its checklist may change with them. A new owner is announced
    /// to every stage, whichever the contact has reached.
    /// </summary>
    public void Change(ContactCard card, string owner, string? notes, StageGate gate, DateTimeOffset at)
    {
        Reach(card);
        var previousOwner = Owner;
        Owner = RequiredOwner(owner);
        Notes = notes;
        if (Owner != previousOwner)
        {
            Record(sequence => new ContactReassigned(Guid.CreateVersion7(), ContactId, at, Owner, previousOwner, sequence));
        }
        if (Status == LeadStatus.New)
        {
            Record(sequence => new ChecklistChanged(Guid.CreateVersion7(), ContactId, at, Owner,
                gate.Unmet(DoneTasks()), Stages.Lead, sequence));
        }
    }

    /// <summary>Through the lead gate: the lead becomes a qualified lead and is handed to Qualification.</summary>
    public void Qualify(StageGate gate, DateTimeOffset at)
    {
        EnsureNew("qualified");
        gate.Ensure(DoneTasks(), $"{Name} cannot be qualified yet.");
        Status = LeadStatus.Qualified;
        QualifiedAt = at;
        QualifiedUnderGate = gate.Version;
        // The next stage's tasks are Qualification's to say (ChecklistChanged); the lead gate has none left.
        Record(sequence => new LeadQualified(Guid.CreateVersion7(), ContactId, at, Owner, [], gate.Version, Name,
            Company, Email, Phone, sequence));
    }

    public void Disqualify(string reason, DateTimeOffset at)
    {
        EnsureNew("disqualified");
        Status = LeadStatus.Lost;
        LostAt = at;
        LostReason = reason;
        Record(sequence => new ContactLost(Guid.CreateVersion7(), ContactId, at, Owner, [], Stages.Lead, reason,
            sequence));
    }

    /// <summary>A lost lead is worth another try: it is a new lead again (the journey keeps the loss).</summary>
    public void Reopen(StageGate gate, DateTimeOffset at)
    {
        if (Status != LeadStatus.Lost)
        {
            throw new InvalidLeadTransitionException(
                $"Lead {ContactId} is {Status.ToString().ToLowerInvariant()}; only a lost lead can be reopened.");
        }
        Status = LeadStatus.New;
        LostAt = null;
        LostReason = null;
        Record(sequence => new LeadReopened(Guid.CreateVersion7(), ContactId, at, Owner, gate.Unmet(DoneTasks()),
            sequence));
    }

    /// <summary>
    /// A manager asked to erase the contact's personal data everywhere: every stage hears of it (the lead itself is
    /// erased when Leads handles the request, as every other stage does).
    /// </summary>
    public void RequestErasure(string by, DateTimeOffset at) =>
        Record(sequence => new ContactErasureRequested(Guid.CreateVersion7(), ContactId, at, Owner, by, sequence));

    public void ErasePersonalData()
    {
        Name = PersonalData.ErasedName;
        Company = Email = Phone = NormalizedEmail = NormalizedPhone = Notes = null;
        SearchWords.Clear();
    }

    private void Reach(ContactCard card)
    {
        Name = card.Name;
        Company = card.Company;
        Email = card.Email;
        Phone = card.Phone;
        NormalizedEmail = card.NormalizedEmail;
        NormalizedPhone = card.NormalizedPhone;
        IndexForSearch();
    }

    /// <summary>Brings <see cref="SearchWords"/> in line with the details: words gone removed, new ones added.</summary>
    public void IndexForSearch()
    {
        var words = SearchText.Words(Name, Company, Email);
        SearchWords.RemoveAll(w => !words.Contains(w.Word));
        SearchWords.AddRange(words.Where(w => SearchWords.All(s => s.Word != w)).Select(w => new SearchWord { Word = w }));
    }

    private static string RequiredOwner(string owner) => !string.IsNullOrWhiteSpace(owner)
        ? owner.Trim()
        : throw new InvalidLeadTransitionException("A lead always has an owner.");

    private void EnsureNew(string move)
    {
        if (Status != LeadStatus.New)
        {
            throw new InvalidLeadTransitionException(
                $"Lead {ContactId} is {Status.ToString().ToLowerInvariant()} and cannot be {move}.");
        }
    }
}

public sealed class InvalidLeadTransitionException(string message) : InvalidTransitionException(message);

/// <summary>The tasks a lead gate may require; the configured gate names a subset.</summary>
public static class LeadTasks
{
    public const string ContactReachable = "contact-reachable";
    public const string OwnerAssigned = "owner-assigned";
    public const string CompanyKnown = "company-known";

    public static readonly IReadOnlySet<string> Known =
        new HashSet<string> { ContactReachable, OwnerAssigned, CompanyKnown };
}
