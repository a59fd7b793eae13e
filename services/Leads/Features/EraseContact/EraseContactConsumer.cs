using Funnel.Infrastructure.Messaging;
using Funnel.Leads.Data;

namespace Funnel.Leads.Features.EraseContact;

/// <summary>Leads's part of an erasure: the lead (details, notes, search words).</summary>
public sealed class EraseContactConsumer(LeadsDbContext db, TimeProvider time, ServiceName service,
    StageConsumers consumers, Redelivery redelivery)
    : ContactErasureConsumer<LeadsDbContext>(db, time, service, consumers, redelivery)
{
    protected override async Task EraseRecordsAsync(Guid contactId, CancellationToken cancellationToken) =>
        (await Db.Leads.FindAsync([contactId], cancellationToken))?.ErasePersonalData();
}
