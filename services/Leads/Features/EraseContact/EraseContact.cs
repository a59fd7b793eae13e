using Funnel.Infrastructure.Http;
using Funnel.Leads.Data;
using Funnel.Leads.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Leads.Features.EraseContact;

/// <summary>
/// <c>POST /api/contacts/{contactId}/erase</c> (managers): erase the contact's personal data in every service and in
/// the stored events (GDPR article 17); <c>GET /api/contacts/{contactId}/erasure</c>: each service's progress. Leads
/// answers both, since every contact starts here.
/// </summary>
public static class EraseContactEndpoints
{
    public static void MapEraseContact(this IEndpointRouteBuilder app)
    {
        var contacts = app.MapGroup("/api/contacts").WithTags("Personal data")
            .RequireAuthorization(policy => policy.RequireRole(FunnelAuth.Manager));
        contacts.MapPost("/{contactId:guid}/erase", Erase)
            .WithName("EraseContact")
            .WithSummary("Erase the contact's personal data everywhere; ids, amounts, stages and times stay. 202.");
        contacts.MapGet("/{contactId:guid}/erasure", Progress)
            .WithName("GetErasure")
            .WithSummary("Each service's progress of the contact's erasure.");
    }

    private static async Task<Results<Accepted<ErasureResponse>, ProblemHttpResult>> Erase(Guid contactId,
        LeadsDbContext db, TimeProvider time, Caller caller, CancellationToken cancellationToken)
    {
        if (await db.Erasures.FindAsync([contactId], cancellationToken) is { } requested)
        {
            // Asked again: the same erasure, still under way or done.
            return TypedResults.Accepted(Location(contactId), ErasureResponse.From(requested));
        }
        if (await db.Leads.FindAsync([contactId], cancellationToken) is not { } lead)
        {
            return Problems.NotFound("contact", contactId);
        }
        var now = time.GetUtcNow();
        var erasure = Erasure.Request(contactId, caller.Name, now);
        db.Erasures.Add(erasure);
        lead.RequestErasure(caller.Name, now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted(Location(contactId), ErasureResponse.From(erasure));
    }

    private static async Task<Results<Ok<ErasureResponse>, ProblemHttpResult>> Progress(Guid contactId,
        LeadsDbContext db, CancellationToken cancellationToken) =>
        await db.Erasures.FindAsync([contactId], cancellationToken) is { } erasure
            ? TypedResults.Ok(ErasureResponse.From(erasure))
            : Problems.NotFound("erasure", contactId);

    private static string Location(Guid contactId) => $"/api/contacts/{contactId}/erasure";
}

public sealed record ErasureStepResponse(string Service, string Status, DateTimeOffset? DoneAt);

public sealed record ErasureResponse(Guid ContactId, string Status, string RequestedBy, DateTimeOffset RequestedAt,
    IReadOnlyList<ErasureStepResponse> Services)
{
    public static ErasureResponse From(Erasure erasure) => new(erasure.ContactId, erasure.Done ? "done" : "running",
        erasure.RequestedBy, erasure.RequestedAt,
        erasure.Steps.OrderBy(step => Erasure.Services.ToList().IndexOf(step.Service))
            .Select(step => new ErasureStepResponse(step.Service, step.DoneAt is null ? "pending" : "done", step.DoneAt))
            .ToList());
}
