using Funnel.Contracts;
using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Domain;
using Microsoft.EntityFrameworkCore;

namespace Funnel.Infrastructure.Messaging;

/// <summary>
/// A stage takes a contact's new owner: on its record if the contact is here, and in its owner changes for a hand-off
/// still on its way (<see cref="OwnerChanges.OwnerOfAsync"/>). An older reassignment arriving after a newer one changes
/// nothing.
/// </summary>
public abstract class ReassignmentConsumer<TContext, TRecord>(TContext db, TimeProvider time)
    : IdempotentConsumer<ContactReassigned, TContext>(db, time)
    where TContext : StageDbContext
    where TRecord : class, IReassignable
{
    protected override async Task HandleAsync(ContactReassigned message, CancellationToken cancellationToken)
    {
        var known = await Db.Set<OwnerChange>().FindAsync([message.ContactId], cancellationToken);
        if (known is null)
        {
            Db.Add(new OwnerChange { ContactId = message.ContactId, Owner = message.Owner, Sequence = message.Sequence });
        }
        else if (known.Sequence < message.Sequence)
        {
            known.Owner = message.Owner;
            known.Sequence = message.Sequence;
            known.Version++;
        }
        else
        {
            return;
        }
        if (await Db.Set<TRecord>().FindAsync([message.ContactId], cancellationToken) is { } record)
        {
            record.Reassign(message.Owner);
        }
    }
}

public static class OwnerChanges
{
    /// <summary>
    /// The owner of a contact handed to this stage: the latest reassignment the stage has heard of, else the one the
    /// hand-off carries, which is kept as the contact's owner here. Either way the row is written, so a reassignment
    /// handled at the same moment conflicts with this hand-off instead of missing its record.
    /// </summary>
    public static async Task<string> OwnerOfAsync(this StageDbContext db, Guid contactId, string handedOffOwner,
        CancellationToken cancellationToken)
    {
        if (await db.Set<OwnerChange>().FindAsync([contactId], cancellationToken) is { } known)
        {
            known.Version++;
            return known.Owner;
        }
        db.Add(new OwnerChange { ContactId = contactId, Owner = handedOffOwner });
        return handedOffOwner;
    }

    /// <summary>The table of a stage that takes reassignments.</summary>
    public static ModelBuilder HasOwnerChanges(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OwnerChange>(change =>
        {
            change.ToTable("owner_changes");
            change.HasKey(c => c.ContactId);
            change.Property(c => c.ContactId).ValueGeneratedNever();
            change.Property(c => c.Owner).HasMaxLength(100);
            change.Property(c => c.Version).IsConcurrencyToken();
        });
        return modelBuilder;
    }
}
