using Funnel.Leads.Domain;

namespace Funnel.Leads.Features;

/// <summary>A lead as every Leads endpoint returns it.</summary>
public sealed record LeadResponse(
    Guid ContactId, string Name, string? Company, string? Email, string? Phone, LeadSource Source, Guid? ReferredBy,
    string? Owner, string? Notes, LeadStatus Status, DateTimeOffset CapturedAt, DateTimeOffset? QualifiedAt,
    string? QualifiedUnderGate, DateTimeOffset? LostAt, string? LostReason)
{
    public static LeadResponse From(Lead lead) => new(
        lead.ContactId, lead.Name, lead.Company, lead.Email, lead.Phone, lead.Source, lead.ReferredBy, lead.Owner,
        lead.Notes, lead.Status, lead.CapturedAt, lead.QualifiedAt, lead.QualifiedUnderGate, lead.LostAt,
        lead.LostReason);
}
