using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Leads.Data;
using Funnel.Leads.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Funnel.Leads.Features.UpdateLead;

/// <summary>
/// <c>PATCH /api/leads/{contactId}</c>: change contact details or owner, as a JSON merge patch (a field left out stays,
/// <c>null</c> clears it). <c>If-Match</c> with the lead's ETag is required, so no one overwrites a change unseen.
/// </summary>
/// <summary>
/// The fields a merge patch may carry (each optional; null clears it, where the lead allows). Read as raw JSON, so
/// that an absent field and a null one differ; this type only describes the body in the API document.
/// </summary>
public sealed record LeadPatch(
    [property: StringLength(200, MinimumLength = 1)] string? Name,
    [property: StringLength(200)] string? Company,
    [property: StringLength(254)] string? Email,
    [property: StringLength(40)] string? Phone,
    [property: StringLength(100, MinimumLength = 1), Description("A manager's reassignment.")] string? Owner,
    [property: StringLength(2000)] string? Notes);

public static class UpdateLeadEndpoint
{
    private static readonly HashSet<string> Fields = ["name", "company", "email", "phone", "owner", "notes"];

    public static void MapUpdateLead(this IEndpointRouteBuilder app) =>
        app.MapPatch("/{contactId:guid}", Handle)
            .WithName("UpdateLead")
            .Accepts<LeadPatch>("application/merge-patch+json", "application/json")
            .Produces<LeadResponse>()
            .WithSummary("Change contact details or owner (JSON merge patch); If-Match required, 412 when stale.");

    private static async Task<IResult> Handle(
        Guid contactId, LeadsDbContext db, StageGate gate, TimeProvider time, HttpContext http,
        Caller caller, CancellationToken cancellationToken)
    {
        // Read as raw JSON (an absent field and a null one differ in a merge patch).
        JsonElement patch;
        try
        {
            patch = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException json)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, type: "urn:funnel:problem:bad-request",
                title: "The request could not be read", detail: $"The body is not valid: {json.Message}");
        }
        var validation = new Validation();
        var changes = ReadPatch(patch, validation);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        if (!Preconditions.HasIfMatch(http))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status428PreconditionRequired,
                type: "urn:funnel:problem:precondition-required", title: "If-Match is required",
                detail: "Send the ETag of the lead you read in If-Match, so that no change is overwritten unseen.");
        }
        var (lead, refusal) = await db.Leads.FindForAsync(contactId, "lead", caller, http, cancellationToken);
        if (lead is null)
        {
            return refusal!;
        }

        if (changes.TryGetValue("owner", out var newOwner) && !caller.IsManager && newOwner != caller.Name)
        {
            return Problems.Forbidden("Only a manager reassigns a lead.");
        }

        var name = changes.GetValueOrDefault("name", lead.Name);
        var email = changes.GetValueOrDefault("email", lead.Email);
        var phone = changes.GetValueOrDefault("phone", lead.Phone);
        // The patch's own rules (lengths), then the lead's as it would be after it.
        validation.Merge(Validation.Of(new LeadPatch(changes.GetValueOrDefault("name"), changes.GetValueOrDefault("company"),
                changes.GetValueOrDefault("email"), changes.GetValueOrDefault("phone"), changes.GetValueOrDefault("owner"),
                changes.GetValueOrDefault("notes"))))
            .Required(name, "name")
            .Check(!changes.TryGetValue("owner", out var owner) || !string.IsNullOrWhiteSpace(owner), "owner",
                "'owner' cannot be cleared: every contact has an owner.")
            .Check(!string.IsNullOrWhiteSpace(email) || !string.IsNullOrWhiteSpace(phone), "email",
                "An email or a phone number is required.");
        LeadIntake.ValidateContact(email, phone, validation, out var normalizedEmail, out var normalizedPhone);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        if (await db.FindDuplicateAsync(normalizedEmail, normalizedPhone, cancellationToken, except: contactId) is { } other)
        {
            return LeadIntake.DuplicateProblem(other, caller);
        }

        lead.Change(
            LeadIntake.Card(name, changes.GetValueOrDefault("company", lead.Company), email, phone, normalizedEmail,
                normalizedPhone),
            changes.GetValueOrDefault("owner", lead.Owner)!, changes.GetValueOrDefault("notes", lead.Notes), gate,
            time.GetUtcNow());

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception is not DbUpdateConcurrencyException)
        {
            // (A change committed between our read and our write is the shared handler's 412.)
            db.ChangeTracker.Clear();
            if (await db.FindDuplicateAsync(normalizedEmail, normalizedPhone, cancellationToken, except: contactId) is { } raced)
            {
                return LeadIntake.DuplicateProblem(raced, caller);
            }
            throw;
        }

        Preconditions.Tag(http, lead.Revision);
        return TypedResults.Ok(LeadResponse.From(lead));
    }

    /// <summary>The patch's fields; unknown fields and non-string values are errors.</summary>
    private static Dictionary<string, string?> ReadPatch(JsonElement patch, Validation validation)
    {
        var changes = new Dictionary<string, string?>();
        if (patch.ValueKind != JsonValueKind.Object)
        {
            validation.Add("body", "The body must be a JSON object of the fields to change.");
            return changes;
        }
        foreach (var field in patch.EnumerateObject())
        {
            if (!Fields.Contains(field.Name))
            {
                validation.Add(field.Name, $"'{field.Name}' cannot be changed here; changeable: {string.Join(", ", Fields)}.");
            }
            else if (field.Value.ValueKind is JsonValueKind.String or JsonValueKind.Null)
            {
                changes[field.Name] = field.Value.ValueKind == JsonValueKind.Null ? null : field.Value.GetString();
            }
            else
            {
                validation.Add(field.Name, $"'{field.Name}' must be a string or null.");
            }
        }
        return changes;
    }
}
