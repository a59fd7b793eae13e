using Funnel.Infrastructure.Http;
using Funnel.Pipeline.Data;
using Funnel.Pipeline.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Pipeline.Features.GetFunnel;

public sealed record ForecastResponse(string Currency, int Opportunities, MoneyDto OpenValue, MoneyDto Weighted);

public sealed record VelocityResponse(
    string Currency, int OpenOpportunities, MoneyDto AverageWonDeal, double WinRate, double AverageCycleDays,
    MoneyDto PerDay);

public sealed record FunnelResponse(
    DateTimeOffset From, DateTimeOffset To, string? Owner, IReadOnlyList<StageFlow> Stages,
    IReadOnlyList<LostReason> LostByReason, IReadOnlyList<ForecastResponse> Forecast,
    IReadOnlyList<VelocityResponse> Velocity);

/// <summary>
/// <c>GET /api/pipeline/funnel</c>: for visits that began in [<c>from</c>, <c>to</c>) (default: from the beginning, open-ended),
/// per stage entered, converted, lost, conversion rate and median days in stage; losses by reason; the weighted
/// forecast of the open pipeline; sales velocity. <c>owner</c> narrows it to one salesperson's contacts.
/// </summary>
public static class GetFunnelEndpoint
{
    public static void MapGetFunnel(this IEndpointRouteBuilder app) =>
        app.MapGet("/funnel", Handle).WithName("GetFunnel")
            .WithSummary("Funnel analytics: per stage flow and conversion, losses by reason, forecast, velocity.");

    private static async Task<Results<Ok<FunnelResponse>, ValidationProblem>> Handle(
        PipelineDbContext db, TimeProvider time, Caller caller, CancellationToken cancellationToken,
        DateTimeOffset? from = null, DateTimeOffset? to = null, string? owner = null)
    {
        owner = caller.OwnerFilter(owner);
        var start = from ?? DateTimeOffset.UnixEpoch;
        var end = to ?? time.GetUtcNow();
        var validation = new Validation().Check(start <= end, "to", "'to' must not be before 'from'.");
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        // Without 'to' the period is open-ended: every visit so far counts, one stamped by a service whose clock runs
        // ahead too, and the whole days come from the daily counts alone.
        var report = await db.FunnelAsync(start, to, owner, cancellationToken);
        return TypedResults.Ok(new FunnelResponse(start, end, owner, report.Stages, report.LostByReason,
            report.Forecast.Select(f => new ForecastResponse(f.Currency, f.Opportunities,
                MoneyDto.From(f.OpenMinor, f.Currency), MoneyDto.From(f.WeightedMinor, f.Currency))).ToList(),
            report.Velocity.Select(v => new VelocityResponse(v.Currency, v.OpenOpportunities,
                MoneyDto.From(v.AverageWonDealMinor, v.Currency), v.WinRate, v.AverageCycleDays,
                MoneyDto.From(v.PerDayMinor, v.Currency))).ToList()));
    }
}
