using Funnel.Infrastructure.Messaging;
using Funnel.Qualification.Data;
using Microsoft.EntityFrameworkCore;

namespace Funnel.Qualification.Features.EraseContact;

/// <summary>Qualification's part of an erasure: the case (details, interest notes, evidence) and its interactions' summaries.</summary>
public sealed class EraseContactConsumer(QualificationDbContext db, TimeProvider time, ServiceName service,
    StageConsumers consumers, Redelivery redelivery)
    : ContactErasureConsumer<QualificationDbContext>(db, time, service, consumers, redelivery)
{
    protected override async Task EraseRecordsAsync(Guid contactId, CancellationToken cancellationToken)
    {
        (await Db.Cases.FindAsync([contactId], cancellationToken))?.ErasePersonalData();
        foreach (var interaction in await Db.Interactions.Where(i => i.ContactId == contactId).ToListAsync(cancellationToken))
        {
            interaction.ErasePersonalData();
        }
    }
}
