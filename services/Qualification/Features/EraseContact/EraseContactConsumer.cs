using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Messaging;
using Funnel.Qualification.Data;

namespace Funnel.Qualification.Features.EraseContact;

/// <summary>Qualification's part of an erasure: the case (details, interest notes, evidence) and its interactions' summaries.</summary>
public sealed class EraseContactConsumer(QualificationDbContext db, TimeProvider time, ServiceName service,
    StageConsumers consumers, Redelivery redelivery)
    : ContactErasureConsumer<QualificationDbContext>(db, time, service, consumers, redelivery)
{
    protected override async Task EraseRecordsAsync(Guid contactId, CancellationToken cancellationToken)
    {
        (await Db.Cases.FindAsync([contactId], cancellationToken))?.ErasePersonalData();
        await Db.Interactions.EraseAsync(contactId, cancellationToken);
    }
}
