using Funnel.Leads.Domain;
using Microsoft.AspNetCore.Http;

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

    public static string ETag(Lead lead) => $"\"{lead.Revision}\"";

    public static void SetETag(HttpContext http, Lead lead) => http.Response.Headers.ETag = ETag(lead);
}
