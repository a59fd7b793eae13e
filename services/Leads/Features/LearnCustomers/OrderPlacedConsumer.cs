using Funnel.Contracts;
using Funnel.Infrastructure.Messaging;
using Funnel.Leads.Data;
using Funnel.Leads.Domain;

namespace Funnel.Leads.Features.LearnCustomers;

/// <summary>Orders made the contact a customer: from now on it may refer new leads.</summary>
public sealed class OrderPlacedConsumer(LeadsDbContext db, TimeProvider time)
    : IdempotentConsumer<OrderPlaced, LeadsDbContext>(db, time)
{
    protected override async Task HandleAsync(OrderPlaced message, CancellationToken cancellationToken)
    {
        if (await Db.Customers.FindAsync([message.ContactId], cancellationToken) is null)
        {
            Db.Customers.Add(new KnownCustomer { ContactId = message.ContactId, Since = message.OccurredAt });
        }
    }
}
