using Funnel.Infrastructure.Messaging;
using Funnel.Orders.Data;

namespace Funnel.Orders.Features.EraseContact;

/// <summary>Orders's part of an erasure: the customer (name, company).</summary>
public sealed class EraseContactConsumer(OrdersDbContext db, TimeProvider time, ServiceName service,
    StageConsumers consumers, Redelivery redelivery)
    : ContactErasureConsumer<OrdersDbContext>(db, time, service, consumers, redelivery)
{
    protected override async Task EraseRecordsAsync(Guid contactId, CancellationToken cancellationToken) =>
        (await Db.Customers.FindAsync([contactId], cancellationToken))?.ErasePersonalData();
}
