using Funnel.Infrastructure.Messaging;
using Funnel.Orders.Data;
using Funnel.Orders.Domain;

namespace Funnel.Orders.Features.PlaceOrder;

/// <summary>
/// The customer follows a manager's reassignment; orders already placed keep the salesperson they credited.
/// </summary>
public sealed class ContactReassignedConsumer(OrdersDbContext db, TimeProvider time)
    : ReassignmentConsumer<OrdersDbContext, Customer>(db, time);
