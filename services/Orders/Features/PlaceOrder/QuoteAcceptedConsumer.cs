using Funnel.Contracts;
using Funnel.Infrastructure.Inbox;
using Funnel.Orders.Data;
using Funnel.Orders.Domain;
using Microsoft.EntityFrameworkCore;

namespace Funnel.Orders.Features.PlaceOrder;

/// <summary>
/// An accepted quote arrives from Quoting: it becomes exactly one order (the inbox and the unique quote index both
/// guard that), the contact becomes a customer, and the sale is credited to the quote's owner.
/// </summary>
public sealed class QuoteAcceptedConsumer(OrdersDbContext db, TimeProvider time)
    : IdempotentConsumer<QuoteAccepted, OrdersDbContext>(db, time)
{
    protected override async Task HandleAsync(QuoteAccepted message, CancellationToken cancellationToken)
    {
        if (await Db.Orders.AnyAsync(o => o.QuoteId == message.QuoteId, cancellationToken))
        {
            return;
        }
        var placedAt = Time.GetUtcNow();
        var order = new Order
        {
            OrderId = Guid.CreateVersion7(),
            ContactId = message.ContactId,
            QuoteId = message.QuoteId,
            QuoteVersion = message.Version,
            Owner = message.Owner,
            Currency = message.Total.Currency,
            TotalMinor = message.Total.MinorUnits,
            PlacedAt = placedAt,
            Lines = message.Lines.Select((l, i) => new OrderLine
            {
                LineNumber = i + 1,
                Sku = l.Sku,
                Description = l.Description,
                Quantity = l.Quantity,
                UnitPriceMinor = l.UnitPriceMinor,
                DiscountPercent = l.DiscountPercent,
                TotalMinor = l.TotalMinor,
            }).ToList(),
        };
        Db.Orders.Add(order);

        if (await Db.Customers.FindAsync([message.ContactId], cancellationToken) is { } customer)
        {
            customer.Owner = message.Owner;
        }
        else
        {
            Db.Customers.Add(new Customer
            {
                ContactId = message.ContactId,
                Name = message.Name,
                Company = message.Company,
                Owner = message.Owner,
                CustomerSince = placedAt,
            });
        }

        Db.Publish(new OrderPlaced(Guid.CreateVersion7(), message.ContactId, placedAt, message.Owner, [],
            order.OrderId, order.QuoteId, message.Total));
    }
}
