using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Leads.Data;
using Funnel.Leads.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Funnel.Leads.Features.CaptureLead;

public sealed class LeadsOptions
{
    /// <summary>Leads without an owner go round-robin to these salespeople.</summary>
    public List<string> Salespeople { get; set; } = [];
}

/// <summary><c>POST /api/leads</c>: a new contact enters the funnel.</summary>
public static class CaptureLeadEndpoint
{
    public static void MapCaptureLead(this IEndpointRouteBuilder app) =>
        app.MapPost("", Handle)
            .WithName("CaptureLead")
            .WithSummary("Capture a lead. Same email or phone as an existing lead: 409 with existingContactId.");

    private static async Task<Results<Created<LeadResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        LeadInput request, LeadsDbContext db, StageGate gate, IOptionsMonitor<LeadsOptions> options,
        TimeProvider time, HttpContext http, Caller caller, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        if (!caller.IsManager && !string.IsNullOrWhiteSpace(request.Owner) && request.Owner.Trim() != caller.Name)
        {
            return Problems.Forbidden("A salesperson captures leads for themselves; a manager assigns them to others.");
        }
        var validation = LeadIntake.Validate(request, out var email, out var phone);
        await db.CheckReferrerAsync(request, validation, cancellationToken);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        if (await db.FindDuplicateAsync(email, phone, cancellationToken) is { } existing)
        {
            return LeadIntake.DuplicateProblem(existing, caller);
        }

        var owner = LeadIntake.OwnerFor(caller, request.Owner, options.CurrentValue.Salespeople,
            caller.IsManager ? await db.Leads.CountAsync(cancellationToken) : 0);
        var lead = db.Capture(request, email, phone, owner, gate, time.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another capture of the same person committed first and the unique index refused this one.
            db.ChangeTracker.Clear();
            if (await db.FindDuplicateAsync(email, phone, cancellationToken) is { } raced)
            {
                return LeadIntake.DuplicateProblem(raced, caller);
            }
            throw;
        }

        // Ids only: a contact's name, email and phone never go to logs or traces.
        logs.CreateLogger("Funnel.Leads.CaptureLead").LogInformation("Lead {ContactId} captured for {Owner}",
            lead.ContactId, owner);
        Preconditions.Tag(http, lead.Revision);
        return TypedResults.Created($"/api/leads/{lead.ContactId}", LeadResponse.From(lead));
    }
}
