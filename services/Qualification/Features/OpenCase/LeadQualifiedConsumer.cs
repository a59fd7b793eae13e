using Funnel.Contracts;
using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Inbox;
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
        var opened = new QualificationCase
        {
            ContactId = message.ContactId,
            Owner = message.Owner,
            Name = message.Name,
            Company = message.Company,
            Email = message.Email,
            Phone = message.Phone,
            OpenedAt = message.OccurredAt,
        };
        Db.Cases.Add(opened);
        // Published now, after the hand-off event, so the read side takes this checklist as the stage's latest word.
        Db.PublishChecklist(opened, gate, Time.GetUtcNow());
    }
}
