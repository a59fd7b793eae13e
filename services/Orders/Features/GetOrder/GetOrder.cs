using Funnel.Infrastructure.Http;
using Funnel.Orders.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Orders.Features.GetOrder;

/// <summary><c>GET /api/orders/{orderId}</c>: one order with its lines and the salesperson credited.</summary>
public static class GetOrderEndpoint
{
    public static void MapGetOrder(this IEndpointRouteBuilder app) =>
        app.MapGet("/orders/{orderId:guid}", Handle).WithName("GetOrder")
            .WithSummary("One order: lines, total, owner (the salesperson credited), contactId, quoteId.");

    private static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> Handle(
        Guid orderId, OrdersDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var (order, refusal) = await db.Orders.FindOwnedAsync(orderId, "order", caller, cancellationToken);
        return order is null ? refusal! : TypedResults.Ok(OrderResponse.From(order));
    }
}
