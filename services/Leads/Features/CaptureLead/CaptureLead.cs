using Funnel.Contracts;
using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Leads.Data;
using Funnel.Leads.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Funnel.Leads.Features.CaptureLead;

public sealed record CaptureLeadRequest(
    string? Name, string? Company, string? Email, string? Phone, LeadSource? Source, Guid? ReferredBy, string? Owner,
    string? Notes);

public sealed class LeadsOptions
{
    public List<string> Salespeople { get; set; } = [];
}

/// <summary><c>POST /api/leads</c>: a new contact enters the funnel.</summary>
public static class CaptureLeadEndpoint
{
    public static void MapCaptureLead(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/leads", Handle)
            .WithName("CaptureLead")
            .WithSummary("Capture a lead. Same email or phone as an existing lead: 409 with existingContactId.");

    private static async Task<Results<Created<LeadResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        CaptureLeadRequest request, LeadsDbContext db, StageGate gate, IOptionsSnapshot<LeadsOptions> options,
        TimeProvider time, HttpContext http, CancellationToken cancellationToken)
    {
        var validation = Validate(request, out var email, out var phone);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        if (await FindDuplicateAsync(db, email, phone, cancellationToken) is { } existing)
        {
            return Duplicate(existing);
        }

        var lead = new Lead
        {
            ContactId = Guid.CreateVersion7(),
            Name = request.Name!.Trim(),
            Company = request.Company?.Trim(),
            Email = request.Email?.Trim(),
            Phone = request.Phone?.Trim(),
            NormalizedEmail = email,
            NormalizedPhone = phone,
            Source = request.Source ?? LeadSource.Other,
            ReferredBy = request.ReferredBy,
            Owner = OwnerAssignment.Assign(request.Owner, options.Value.Salespeople,
                await db.Leads.CountAsync(cancellationToken)),
            Notes = request.Notes,
            CapturedAt = time.GetUtcNow(),
        };
        db.Leads.Add(lead);
        db.Publish(new LeadCaptured(Guid.CreateVersion7(), lead.ContactId, lead.CapturedAt, lead.Owner ?? "",
            gate.Unmet(lead.DoneTasks()), lead.Name, lead.Company, lead.Email, lead.Phone,
            lead.Source.ToString().ToLowerInvariant()));

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another capture of the same person committed first and the unique index refused this one.
            db.ChangeTracker.Clear();
            if (await FindDuplicateAsync(db, email, phone, cancellationToken) is { } raced)
            {
                return Duplicate(raced);
            }
            throw;
        }

        LeadResponse.SetETag(http, lead);
        return TypedResults.Created($"/api/leads/{lead.ContactId}", LeadResponse.From(lead));
    }

    private static Validation Validate(CaptureLeadRequest request, out string? email, out string? phone)
    {
        var validation = new Validation()
            .Required(request.Name, "name").MaxLength(request.Name, 200, "name")
            .MaxLength(request.Company, 200, "company")
            .MaxLength(request.Owner, 100, "owner")
            .MaxLength(request.Notes, 2000, "notes")
            .Check(!string.IsNullOrWhiteSpace(request.Email) || !string.IsNullOrWhiteSpace(request.Phone),
                "email", "An email or a phone number is required.");

        email = ContactDetails.NormalizeEmail(request.Email);
        phone = ContactDetails.NormalizePhone(request.Phone);
        validation
            .Check(string.IsNullOrWhiteSpace(request.Email) || email is not null, "email", "'email' is not a valid address.")
            .Check(string.IsNullOrWhiteSpace(request.Phone) || phone is not null, "phone",
                "'phone' must have 6 to 15 digits and only spaces, dashes, dots, brackets or a leading '+' besides.")
            .Check(request.Source != LeadSource.Referral || request.ReferredBy is not null, "referredBy",
                "A referral must name the customer who referred it ('referredBy').")
            .Check(request.Source == LeadSource.Referral || request.ReferredBy is null, "referredBy",
                "'referredBy' is only for leads whose source is 'referral'.");
        return validation;
    }

    private static Task<Guid?> FindDuplicateAsync(LeadsDbContext db, string? email, string? phone,
        CancellationToken cancellationToken) =>
        db.Leads
            .Where(l => (email != null && l.NormalizedEmail == email) || (phone != null && l.NormalizedPhone == phone))
            .Select(l => (Guid?)l.ContactId)
            .FirstOrDefaultAsync(cancellationToken);

    private static ProblemHttpResult Duplicate(Guid existing) => Problems.Conflict(
        "duplicate-lead", "The lead already exists",
        $"A lead with the same email or phone exists: {existing}.",
        new Dictionary<string, object?> { ["existingContactId"] = existing });
}
