using Funnel.Infrastructure.Http;
using Funnel.Orders.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Orders.Features.ListOrders;

/// <summary><c>GET /api/orders</c>: orders newest first, by owner and placement time (<c>from</c> inclusive, <c>to</c> exclusive).</summary>
public static class ListOrdersEndpoint
{
    public static void MapListOrders(this IEndpointRouteBuilder app) =>
        app.MapGet("/orders", Handle).WithName("ListOrders").WithSummary("Page through orders.");

    private static async Task<Results<Ok<PagedList<OrderResponse>>, ValidationProblem>> Handle(
        OrdersDbContext db, Caller caller, CancellationToken cancellationToken, string? owner = null,
        DateTimeOffset? from = null,
        DateTimeOffset? to = null, int? page = null, int? pageSize = null)
    {
        var validation = new Validation().Check(from is null || to is null || from <= to, "to", "'to' must not be before 'from'.");
        var (pageNumber, size) = Paging.Read(page, pageSize, validation);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var query = db.Orders.AsQueryable();
        owner = caller.OwnerFilter(owner);
        if (!string.IsNullOrWhiteSpace(owner))
        {
            query = query.Where(o => o.Owner == owner);
        }
        if (from is not null)
        {
            query = query.Where(o => o.PlacedAt >= from);
        }
        if (to is not null)
        {
            query = query.Where(o => o.PlacedAt < to);
        }
        var orders = await query.OrderByDescending(o => o.PlacedAt).ThenBy(o => o.OrderId)
            .ToPageAsync(pageNumber, size, OrderResponse.From, cancellationToken);
        return TypedResults.Ok(orders);
    }
}
