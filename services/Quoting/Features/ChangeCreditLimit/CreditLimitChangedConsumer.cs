using Funnel.Contracts;
using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Messaging;
using Funnel.Quoting.Data;

namespace Funnel.Quoting.Features.ChangeCreditLimit;

/// <summary>A credit check after the promotion: the opportunity's quotes are checked against the new limit.</summary>
public sealed class CreditLimitChangedConsumer(QuotingDbContext db, StageGate gate, TimeProvider time)
    : IdempotentConsumer<CreditLimitChanged, QuotingDbContext>(db, time)
{
    protected override async Task HandleAsync(CreditLimitChanged message, CancellationToken cancellationToken)
    {
        // Only a promoted case is checked again, so the hand-off that opens the opportunity is on its way: the
        // message is retried (and redelivered) until it has arrived.
        var opportunity = await Db.Opportunities.FindAsync([message.ContactId], cancellationToken)
            ?? throw new InvalidOperationException(
                $"The opportunity of {message.ContactId} is not open yet; the credit limit waits for its hand-off.");
        opportunity.ChangeCreditLimit(message, gate, Time.GetUtcNow());
    }
}
