using Funnel.Contracts;
using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Messaging;
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
        var owner = await Db.OwnerOfAsync(message.ContactId, message.Owner, cancellationToken);
        Db.Opportunities.Add(Opportunity.Open(message with { Owner = owner }, gate, progress.CurrentValue, Time.GetUtcNow()));
    }
}
