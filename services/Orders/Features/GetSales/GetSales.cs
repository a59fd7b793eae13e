using Funnel.Infrastructure.Http;
using Funnel.Orders.Data;
using Funnel.Orders.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Funnel.Orders.Features.GetSales;

public sealed record VolumeResponse(string Currency, int Orders, MoneyDto Total);

public sealed record SalespersonResponse(string Owner, string Currency, int Orders, MoneyDto Total);

public sealed record SalesResponse(
    DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<VolumeResponse> Volume,
    IReadOnlyList<SalespersonResponse> BySalesperson);

/// <summary>
/// <c>GET /api/sales</c>: the company's transaction volume and each salesperson's orders and total in a period
/// (<c>from</c> inclusive, <c>to</c> exclusive), per currency.
/// </summary>
public static class GetSalesEndpoint
{
    public static void MapGetSales(this IEndpointRouteBuilder app) =>
        app.MapGet("/sales", Handle).WithName("GetSales")
            .WithSummary("Total volume and, per salesperson, orders and total, per currency.");

    private static async Task<Results<Ok<SalesResponse>, ValidationProblem>> Handle(
        OrdersDbContext db, Caller caller, CancellationToken cancellationToken, DateTimeOffset? from = null,
        DateTimeOffset? to = null)
    {
        var validation = new Validation().Check(from is null || to is null || from <= to, "to", "'to' must not be before 'from'.");
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var query = db.Orders.AsQueryable();
        if (!caller.IsManager)
        {
            // A salesperson sees their own sales.
            query = query.Where(o => o.Owner == caller.Name);
        }
        if (from is not null)
        {
            query = query.Where(o => o.PlacedAt >= from);
        }
        if (to is not null)
        {
            query = query.Where(o => o.PlacedAt < to);
        }
        var sums = await query
            .GroupBy(o => new { o.Owner, o.Currency })
            .Select(g => new
            {
                g.Key.Owner,
                g.Key.Currency,
                Orders = g.Count(),
                Billions = g.Sum(o => o.TotalMinor / SalesVolume.SplitAt),
                Rest = g.Sum(o => o.TotalMinor % SalesVolume.SplitAt),
            })
            .ToListAsync(cancellationToken);
        var bySalesperson = sums.Select(s =>
            new SalespersonSales(s.Owner, s.Currency, s.Orders, SalesVolume.Join(s.Billions, s.Rest))).ToList();

        return TypedResults.Ok(new SalesResponse(from, to,
            SalesVolume.Total(bySalesperson).Select(v => new VolumeResponse(v.Currency, v.Orders,
                MoneyDto.From(v.TotalMinor, v.Currency))).ToList(),
            bySalesperson.OrderBy(s => s.Owner, StringComparer.Ordinal).ThenBy(s => s.Currency, StringComparer.Ordinal)
                .Select(s => new SalespersonResponse(s.Owner, s.Currency, s.Orders, MoneyDto.From(s.TotalMinor, s.Currency)))
                .ToList()));
    }
}
