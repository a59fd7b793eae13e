using Funnel.Contracts;
using Funnel.Infrastructure.Messaging;
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
        var customer = await Db.Customers.FindAsync([message.ContactId], cancellationToken);
        if (customer is null)
        {
            var owner = await Db.OwnerOfAsync(message.ContactId, message.Owner, cancellationToken);
            customer = Customer.Becomes(message with { Owner = owner }, placedAt);
            Db.Customers.Add(customer);
        }
        Db.Orders.Add(customer.PlaceOrder(message, placedAt));
    }
}
