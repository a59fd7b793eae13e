using System.ComponentModel.DataAnnotations;
using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Quoting.Data;
using Funnel.Quoting.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Funnel.Quoting.Features.LogActivity;

public sealed record LogActivityRequest(
    [property: Required] ActivityKind? Kind,
    [property: Required, StringLength(2000, MinimumLength = 1)] string? Summary,
    DateTimeOffset? OccurredAt);

/// <summary><c>POST /api/quoting/{contactId}/activities</c>: a demo, sample, meeting, call or email with the prospect.</summary>
public static class LogActivityEndpoint
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public static void MapLogActivity(this IEndpointRouteBuilder app) =>
        app.MapPost("/{contactId:guid}/activities", Handle).WithName("LogActivity")
            .WithSummary("Log a demo, sample, meeting, call or email.");

    private static async Task<Results<Created<ActivityResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid contactId, LogActivityRequest request, QuotingDbContext db, StageGate gate,
        IOptionsMonitor<ProgressOptions> progress, TimeProvider time,
        HttpContext http, Caller caller, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var validation = Validation.Of(request)
            .Check(request.OccurredAt is null || request.OccurredAt <= now + ClockSkew, "occurredAt",
                "'occurredAt' cannot be in the future.");
        return await db.Opportunities.MoveAsync(contactId, "opportunity", validation, caller, http, found =>
        {
            var activity = found.LogActivity(request.Kind!.Value, request.Summary!.Trim(),
                request.OccurredAt?.ToUniversalTime() ?? now, caller.Name, gate, progress.CurrentValue, now);
            db.Activities.Add(activity);
            return TypedResults.Created($"/api/quoting/{contactId}", ActivityResponse.From(activity));
        }, cancellationToken);
    }
}
