using System.ComponentModel.DataAnnotations;
using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Qualification.Data;
using Funnel.Qualification.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Qualification.Features.LogInteraction;

public sealed record LogInteractionRequest(
    [property: Required] InteractionKind? Kind,
    [property: Required, StringLength(2000, MinimumLength = 1)] string? Summary,
    DateTimeOffset? OccurredAt);

/// <summary><c>POST /api/qualification/{contactId}/interactions</c>: a call, meeting, email or visit happened.</summary>
public static class LogInteractionEndpoint
{
    /// <summary>Clocks differ a little between the salesperson's device and ours.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public static void MapLogInteraction(this IEndpointRouteBuilder app) =>
        app.MapPost("/{contactId:guid}/interactions", Handle).WithName("LogInteraction")
            .WithSummary("Log an interaction; the first one ends the wait for first contact.");

    private static async Task<Results<Created<InteractionResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid contactId, LogInteractionRequest request, QualificationDbContext db, StageGate gate, TimeProvider time,
        HttpContext http, Caller caller, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var validation = Validation.Of(request)
            .Check(request.OccurredAt is null || request.OccurredAt <= now + ClockSkew, "occurredAt",
                "'occurredAt' cannot be in the future.");
        return await db.Cases.MoveAsync(contactId, "qualification case", validation, caller, http, found =>
        {
            var interaction = found.LogInteraction(request.Kind!.Value, request.Summary!.Trim(),
                request.OccurredAt?.ToUniversalTime() ?? now, caller.Name, gate, now);
            db.Interactions.Add(interaction);
            return TypedResults.Created($"/api/qualification/{contactId}", InteractionResponse.From(interaction));
        }, cancellationToken);
    }
}
