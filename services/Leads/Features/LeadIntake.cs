using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Funnel.Contracts;
using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Leads.Data;
using Funnel.Leads.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Funnel.Leads.Features;

/// <summary>The details of a lead as a caller gives them: by the capture form or a row of an import file.</summary>
public sealed record LeadInput(
    [property: Required, StringLength(200, MinimumLength = 1)] string? Name,
    [property: StringLength(200)] string? Company,
    [property: StringLength(254), Description("An email or a phone is required.")] string? Email,
    [property: StringLength(40), Description("An email or a phone is required.")] string? Phone,
    LeadSource? Source,
    [property: Description("A customer's contactId; required for the referral source.")] Guid? ReferredBy,
    [property: StringLength(100)] string? Owner,
    [property: StringLength(2000)] string? Notes);

/// <summary>One way in for new leads, whichever the path (capture, import): the same checks, the same event.</summary>
public static class LeadIntake
{
    /// <summary>The field rules; <paramref name="email"/> and <paramref name="phone"/> come back normalised.</summary>
    public static Validation Validate(LeadInput input, out string? email, out string? phone)
    {
        var validation = Validation.Of(input)
            .Check(!string.IsNullOrWhiteSpace(input.Email) || !string.IsNullOrWhiteSpace(input.Phone),
                "email", "An email or a phone number is required.");
        ValidateContact(input.Email, input.Phone, validation, out email, out phone);
        validation
            .Check(input.Source != LeadSource.Referral || input.ReferredBy is not null, "referredBy",
                "A referral must name the customer who referred it ('referredBy').")
            .Check(input.Source == LeadSource.Referral || input.ReferredBy is null, "referredBy",
                "'referredBy' is only for leads whose source is 'referral'.");
        return validation;
    }

    public static void ValidateContact(string? rawEmail, string? rawPhone, Validation validation,
        out string? email, out string? phone)
    {
        email = ContactDetails.NormalizeEmail(rawEmail);
        phone = ContactDetails.NormalizePhone(rawPhone);
        // The lengths (the columns') are the request type's rules, checked with it (Validation.Of).
        validation
            .Check(string.IsNullOrWhiteSpace(rawEmail) || email is not null, "email", "'email' is not a valid address.")
            .Check(string.IsNullOrWhiteSpace(rawPhone) || phone is not null, "phone",
                "'phone' must have 6 to 15 digits and only spaces, dashes, dots, brackets or a leading '+' besides.");
    }

    /// <summary>A referral must come from a customer Leads has heard of (through <c>OrderPlaced</c>).</summary>
    public static async Task CheckReferrerAsync(this LeadsDbContext db, LeadInput input, Validation validation,
        CancellationToken cancellationToken)
    {
        if (input.ReferredBy is { } referrer && !await db.Customers.AnyAsync(c => c.ContactId == referrer, cancellationToken))
        {
            validation.Add("referredBy", $"'referredBy' must be a customer; {referrer} is not one.");
        }
    }

    /// <summary>The lead that already has this email or phone (other than <paramref name="except"/>), if any.</summary>
    public static async Task<ExistingLead?> FindDuplicateAsync(this LeadsDbContext db, string? email, string? phone,
        CancellationToken cancellationToken, Guid? except = null)
    {
        // One query per shape rather than `email != null && ...` inside the query: EF Core compiles such a test of a
        // variable into a new delegate on every run, which cost this service a fifth of its CPU (BENCHMARKS.md).
        IQueryable<Lead>? matches = (email, phone) switch
        {
            ({ }, { }) => db.Leads.Where(l => l.NormalizedEmail == email || l.NormalizedPhone == phone),
            ({ }, null) => db.Leads.Where(l => l.NormalizedEmail == email),
            (null, { }) => db.Leads.Where(l => l.NormalizedPhone == phone),
            _ => null,
        };
        if (matches is null)
        {
            return null;
        }
        if (except is { } own)
        {
            matches = matches.Where(l => l.ContactId != own);
        }
        return await matches.Select(l => new ExistingLead(l.ContactId, l.Owner)).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Adds the new lead (its <see cref="LeadCaptured"/> goes with it) to the unit of work.</summary>
    public static Lead Capture(this LeadsDbContext db, LeadInput input, string? email, string? phone, string owner,
        StageGate gate, DateTimeOffset at)
    {
        var lead = Lead.Capture(Card(input.Name, input.Company, input.Email, input.Phone, email, phone),
            input.Source ?? LeadSource.Other, input.ReferredBy, owner, Trimmed(input.Notes), gate, at);
        db.Leads.Add(lead);
        return lead;
    }

    /// <summary>The details as stored: trimmed, empty ones left out.</summary>
    public static ContactCard Card(string? name, string? company, string? email, string? phone,
        string? normalizedEmail, string? normalizedPhone) =>
        new(name!.Trim(), Trimmed(company), Trimmed(email), Trimmed(phone), normalizedEmail, normalizedPhone);

    /// <summary>Who owns a new lead: a salesperson's own; a manager's choice, else the next salesperson in turn, else the manager.</summary>
    public static string OwnerFor(Caller caller, string? requested, IReadOnlyList<string> salespeople, int leadsSoFar) =>
        caller.IsManager ? OwnerAssignment.Assign(requested, salespeople, leadsSoFar) ?? caller.Name : caller.Name;

    /// <summary>
    /// The 409 of a duplicate: it names the existing lead only to a caller who may see it (its owner or a manager), so
    /// that no salesperson learns another's contacts by trying emails.
    /// </summary>
    public static ProblemHttpResult DuplicateProblem(ExistingLead existing, Caller caller) =>
        caller.Owns(existing.Owner)
            ? Problems.Conflict("duplicate-lead", "The lead already exists",
                $"A lead with the same email or phone exists: {existing.ContactId}.",
                new Dictionary<string, object?> { ["existingContactId"] = existing.ContactId })
            : Problems.Conflict("duplicate-lead", "The lead already exists",
                "A lead with this email or phone exists.");

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>A stored lead a new one would duplicate, and whose it is.</summary>
public sealed record ExistingLead(Guid ContactId, string Owner);
