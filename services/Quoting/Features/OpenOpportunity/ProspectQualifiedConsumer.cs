using Funnel.Contracts;
using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Inbox;
using Funnel.Quoting.Data;
using Funnel.Quoting.Domain;
using Microsoft.Extensions.Options;

namespace Funnel.Quoting.Features.OpenOpportunity;

/// <summary>A prospect arrives from Qualification: its opportunity opens at the 'promoted' milestone's percent.</summary>
public sealed class ProspectQualifiedConsumer(
    QuotingDbContext db, StageGate gate, IOptionsMonitor<ProgressOptions> progress, TimeProvider time)
    : IdempotentConsumer<ProspectQualified, QuotingDbContext>(db, time)
{
    protected override async Task HandleAsync(ProspectQualified message, CancellationToken cancellationToken)
    {
        if (await Db.Opportunities.FindAsync([message.ContactId], cancellationToken) is not null)
        {
            return;
        }
        var opened = new Opportunity
        {
            ContactId = message.ContactId,
            Owner = message.Owner,
            Name = message.Name,
            Company = message.Company,
            OpenedAt = message.OccurredAt,
            CreditCurrency = message.ApprovedCreditLimit?.Currency,
            CreditLimitMinor = message.ApprovedCreditLimit?.MinorUnits,
        };
        Db.Opportunities.Add(opened);
        // Published now, after the hand-off event, so the read side takes them as the stage's latest word.
        var now = Time.GetUtcNow();
        if (opened.ReachMilestone(QuotingTasks.Promoted, progress.CurrentValue.Milestones))
        {
            Db.PublishProgress(opened, gate, now);
        }
        Db.PublishChecklist(opened, gate, now);
    }
}
