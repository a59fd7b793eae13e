using Funnel.Infrastructure.Http;
using Funnel.Orders.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Funnel.Orders.Features.GetCustomer;

public sealed record CustomerResponse(
    Guid ContactId, string Name, string? Company, string Owner, DateTimeOffset CustomerSince,
    IReadOnlyList<OrderResponse> Orders);

/// <summary><c>GET /api/customers/{contactId}</c>: the customer and its orders.</summary>
public static class GetCustomerEndpoint
{
    public static void MapGetCustomer(this IEndpointRouteBuilder app) =>
        app.MapGet("/customers/{contactId:guid}", Handle).WithName("GetCustomer")
            .WithSummary("The customer and its orders.");

    private static async Task<Results<Ok<CustomerResponse>, ProblemHttpResult>> Handle(
        Guid contactId, OrdersDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var (customer, refusal) = await db.Customers.FindOwnedAsync(contactId, "customer", caller, cancellationToken);
        if (customer is null)
        {
            return refusal!;
        }
        var orders = await db.Orders.Where(o => o.ContactId == contactId).OrderBy(o => o.PlacedAt)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new CustomerResponse(customer.ContactId, customer.Name, customer.Company,
            customer.Owner, customer.CustomerSince, orders.Select(OrderResponse.From).ToList()));
    }
}
