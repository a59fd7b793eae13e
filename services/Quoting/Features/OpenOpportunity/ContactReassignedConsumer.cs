using Funnel.Infrastructure.Messaging;
using Funnel.Quoting.Data;
using Funnel.Quoting.Domain;

namespace Funnel.Quoting.Features.OpenOpportunity;

/// <summary>The opportunity follows a manager's reassignment, even one that arrives before it opens.</summary>
public sealed class ContactReassignedConsumer(QuotingDbContext db, TimeProvider time)
    : ReassignmentConsumer<QuotingDbContext, Opportunity>(db, time);
