using Funnel.Contracts;
using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Qualification.Data;
using Funnel.Qualification.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Qualification.Features.PromoteProspect;

public sealed record PromoteProspectResponse(Guid ContactId, CaseStatus Status, string GateVersion, string Next);

/// <summary>
/// <c>POST /api/qualification/{contactId}/promote</c>: through the qualification gate, the qualified lead becomes a
/// prospect and is handed to Quoting by <see cref="ProspectQualified"/>.
/// </summary>
public static class PromoteProspectEndpoint
{
    public static void MapPromoteProspect(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/qualification/{contactId:guid}/promote", Handle).WithName("PromoteProspect")
            .WithSummary("Promote to prospect: 202, or 409 with the unmet tasks.");

    private static async Task<Results<Accepted<PromoteProspectResponse>, ProblemHttpResult>> Handle(
        Guid contactId, QualificationDbContext db, StageGate gate, TimeProvider time, HttpContext http,
        Caller caller, CancellationToken cancellationToken)
    {
        var lookup = await db.Cases.FindForAsync(contactId, "qualification case", caller, http, cancellationToken);
        if (lookup.Refused)
        {
            return lookup.Refusal;
        }
        var found = lookup.Record;
        if (!found.IsOpen)
        {
            return Problems.InvalidTransition(
                $"The case of {contactId} is {found.Status.ToString().ToLowerInvariant()}.");
        }
        var unmet = gate.Unmet(found.DoneTasks());
        if (unmet.Count > 0)
        {
            return Problems.GateUnmet($"{found.Name} cannot be promoted to prospect yet.", unmet, gate.Version);
        }

        var now = time.GetUtcNow();
        found.Promote(now, gate.Version);
        // Null when the gate in force did not ask for a credit check.
        var credit = found.CreditCheck is { Approved: true } approved
            ? new Money(approved.Currency, approved.ApprovedMinor)
            : null;
        db.Publish(new ProspectQualified(Guid.CreateVersion7(), contactId, now, found.Owner, [], gate.Version,
            found.Name, found.Company, credit));
        await db.SaveChangesAsync(cancellationToken);
        Preconditions.Tag(http, found.Revision);

        var next = $"/api/quoting/{contactId}";
        return TypedResults.Accepted(next, new PromoteProspectResponse(contactId, found.Status, gate.Version, next));
    }
}
