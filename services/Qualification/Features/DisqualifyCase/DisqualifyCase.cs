using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Qualification.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Qualification.Features.DisqualifyCase;

/// <summary><c>POST /api/qualification/{contactId}/disqualify</c>: the qualified lead is lost, with a reason.</summary>
public static class DisqualifyCaseEndpoint
{
    public static void MapDisqualifyCase(this IEndpointRouteBuilder app) =>
        app.MapPost("/{contactId:guid}/disqualify", Handle).WithName("DisqualifyCase")
            .WithSummary("Disqualify the qualified lead; a reason is required.");

    private static async Task<Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid contactId, ReasonRequest request, QualificationDbContext db, StageGate gate, TimeProvider time,
        HttpContext http, Caller caller, CancellationToken cancellationToken)
    {
        var validation = new Validation().Reason(request.Reason);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var lookup = await db.Cases.FindForAsync(contactId, "qualification case", caller, http, cancellationToken);
        if (lookup.Refused)
        {
            return lookup.Refusal;
        }
        var found = lookup.Record;

        found.Disqualify(request.Reason!.Trim(), time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        Preconditions.Tag(http, found.Revision);
        return TypedResults.Ok(CaseResponse.From(found, gate));
    }
}
