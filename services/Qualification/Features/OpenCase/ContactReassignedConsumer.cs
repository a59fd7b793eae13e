using Funnel.Infrastructure.Messaging;
using Funnel.Qualification.Data;
using Funnel.Qualification.Domain;

namespace Funnel.Qualification.Features.OpenCase;

/// <summary>The contact's case follows a manager's reassignment, even one that arrives before the case opens.</summary>
public sealed class ContactReassignedConsumer(QualificationDbContext db, TimeProvider time)
    : ReassignmentConsumer<QualificationDbContext, QualificationCase>(db, time);
