using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Messaging;
using Funnel.Quoting.Data;

namespace Funnel.Quoting.Features.EraseContact;

/// <summary>Quoting's part of an erasure: the opportunity (name, company) and its activities' summaries.</summary>
public sealed class EraseContactConsumer(QuotingDbContext db, TimeProvider time, ServiceName service,
    StageConsumers consumers, Redelivery redelivery)
    : ContactErasureConsumer<QuotingDbContext>(db, time, service, consumers, redelivery)
{
    protected override async Task EraseRecordsAsync(Guid contactId, CancellationToken cancellationToken)
    {
        (await Db.Opportunities.FindAsync([contactId], cancellationToken))?.ErasePersonalData();
        await Db.Activities.EraseAsync(contactId, cancellationToken);
    }
}
