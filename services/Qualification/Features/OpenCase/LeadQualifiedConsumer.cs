using Funnel.Contracts;
using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Messaging;
using Funnel.Qualification.Data;
using Funnel.Qualification.Domain;

namespace Funnel.Qualification.Features.OpenCase;

/// <summary>A qualified lead arrives from Leads: its case opens, awaiting the first interaction.</summary>
public sealed class LeadQualifiedConsumer(QualificationDbContext db, StageGate gate, TimeProvider time)
    : IdempotentConsumer<LeadQualified, QualificationDbContext>(db, time)
{
    protected override async Task HandleAsync(LeadQualified message, CancellationToken cancellationToken)
    {
        if (await Db.Cases.FindAsync([message.ContactId], cancellationToken) is not null)
        {
            return;
        }
        var owner = await Db.OwnerOfAsync(message.ContactId, message.Owner, cancellationToken);
        Db.Cases.Add(QualificationCase.Open(message with { Owner = owner }, gate, Time.GetUtcNow()));
    }
}
