using Funnel.Infrastructure;
using Funnel.Infrastructure.Http;

namespace Funnel.Leads.Domain;

public enum LeadSource { Convention, Referral, Directory, Web, Import, Other }

public enum LeadStatus { New, Qualified, Lost }

/// <summary>A contact at the first stage: details, no interaction yet.</summary>
public sealed class Lead : IOwnedRecord
{
    public Guid ContactId { get; init; }
    public required string Name { get; set; }
    public string? Company { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }

    /// <summary>Email and phone in the form duplicates are judged by (unique indexes).</summary>
    public string? NormalizedEmail { get; set; }
    public string? NormalizedPhone { get; set; }

    public LeadSource Source { get; init; }
    public Guid? ReferredBy { get; init; }
    public string? Owner { get; set; }
    public string? Notes { get; set; }
    public LeadStatus Status { get; private set; }
    public DateTimeOffset CapturedAt { get; init; }
    public DateTimeOffset? QualifiedAt { get; private set; }

    /// <summary>The gate version that let the lead through.</summary>
    public string? QualifiedUnderGate { get; private set; }

    public DateTimeOffset? LostAt { get; private set; }
    public string? LostReason { get; private set; }

    /// <summary>Optimistic concurrency token; the ETag of the lead.</summary>
    public int Revision { get; set; }

    /// <summary>The lead gate's tasks this lead has done (the gate says which are required).</summary>
    public IReadOnlySet<string> DoneTasks()
    {
        var done = new HashSet<string>();
        if (NormalizedEmail is not null || NormalizedPhone is not null)
        {
            done.Add(LeadTasks.ContactReachable);
        }
        if (!string.IsNullOrWhiteSpace(Owner))
        {
            done.Add(LeadTasks.OwnerAssigned);
        }
        if (!string.IsNullOrWhiteSpace(Company))
        {
            done.Add(LeadTasks.CompanyKnown);
        }
        return done;
    }

    public void Qualify(DateTimeOffset at, string gateVersion)
    {
        EnsureNew("qualified");
        Status = LeadStatus.Qualified;
        QualifiedAt = at;
        QualifiedUnderGate = gateVersion;
        Revision++;
    }

    public void Disqualify(DateTimeOffset at, string reason)
    {
        EnsureNew("disqualified");
        Status = LeadStatus.Lost;
        LostAt = at;
        LostReason = reason;
        Revision++;
    }

    /// <summary>A lost lead is worth another try: it is a new lead again (the journey keeps the loss).</summary>
    public void Reopen()
    {
        if (Status != LeadStatus.Lost)
        {
            throw new InvalidLeadTransitionException(
                $"Lead {ContactId} is {Status.ToString().ToLowerInvariant()}; only a lost lead can be reopened.");
        }
        Status = LeadStatus.New;
        LostAt = null;
        LostReason = null;
        Revision++;
    }

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
