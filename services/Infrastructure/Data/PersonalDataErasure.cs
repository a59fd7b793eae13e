using System.Diagnostics;
using Funnel.Contracts;
using Funnel.Infrastructure.Domain;
using Microsoft.EntityFrameworkCore;

namespace Funnel.Infrastructure.Data;

/// <summary>What every service does to erase a contact, besides erasing its own records (GDPR article 17).</summary>
public static class PersonalDataErasure
{
    public static ModelBuilder HasErasedContacts(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ErasedContact>(erased =>
        {
            erased.ToTable("erased_contacts");
            erased.HasKey(e => e.ContactId);
            erased.Property(e => e.ContactId).ValueGeneratedNever();
        });
        return modelBuilder;
    }

    /// <summary>
    /// Erases, in the records this unit of work adds, the personal data of contacts already erased here: a hand-off
    /// or an event that was on its way (or replayed from an error queue) when the contact was erased.
    /// </summary>
    public static void EraseLateArrivals(this DbContext db)
    {
        if (LateArrivals(db) is var (added, erased))
        {
            Erase(added, erased.ToHashSet());
        }
    }

    /// <inheritdoc cref="EraseLateArrivals"/>
    /// <remarks>
    /// Asynchronous for SaveChangesAsync: a blocking query there held a thread-pool thread while it waited for a
    /// pooled database connection, and under load on PostgreSQL those waits starved the pool of the threads that
    /// would have given connections back (every capture timed out; docs/RELIABILITY.md).
    /// </remarks>
    public static async Task EraseLateArrivalsAsync(this DbContext db, CancellationToken cancellationToken)
    {
        if (LateArrivals(db) is var (added, erased))
        {
            Erase(added, await erased.ToHashSetAsync(cancellationToken));
        }
    }

    /// <summary>The records this unit of work adds, and a query for which of their contacts are erased.</summary>
    private static (List<IHoldsPersonalData> Added, IQueryable<Guid> Erased)? LateArrivals(DbContext db)
    {
        var added = db.ChangeTracker.Entries<IHoldsPersonalData>()
            .Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        if (added.Count == 0)
        {
            return null;
        }
        var ids = added.Select(r => r.ContactId).Distinct().ToList();
        // Nearly every unit of work adds one contact's records: a key lookup then, not a list parameter.
        var only = ids[0];
        var erased = ids.Count == 1
            ? db.Set<ErasedContact>().Where(e => e.ContactId == only)
            : db.Set<ErasedContact>().Where(e => ids.Contains(e.ContactId));
        return (added, erased.Select(e => e.ContactId));
    }

    private static void Erase(List<IHoldsPersonalData> added, HashSet<Guid> erased)
    {
        foreach (var record in added.Where(r => erased.Contains(r.ContactId)))
        {
            record.ErasePersonalData();
        }
    }

    /// <summary>Marks the contact erased here (once).</summary>
    public static async Task MarkErasedAsync(this DbContext db, Guid contactId, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (await db.Set<ErasedContact>().FindAsync([contactId], cancellationToken) is null)
        {
            db.Add(new ErasedContact { ContactId = contactId, ErasedAt = now });
        }
    }

    /// <summary>
    /// Erases what a publishing stage keeps of the contact besides its records: sent events about it are deleted,
    /// events still to be sent lose their personal fields, and stored answers to requests about it are deleted.
    /// Then <see cref="ContactErased"/> goes out with the same commit.
    /// </summary>
    public static async Task EraseStoredMessagesAsync(this StageDbContext db, ContactErasureRequested request,
        string service, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var contact = request.ContactId.ToString();
        var events = await db.Outbox.Where(m => m.Payload.Contains(contact)).ToListAsync(cancellationToken);
        foreach (var stored in events)
        {
            if (stored.SentAt is null)
            {
                stored.Payload = PersonalData.Scrub(stored.Payload);
            }
            else
            {
                db.Outbox.Remove(stored);
            }
        }
        db.IdempotentRequests.RemoveRange(
            await db.IdempotentRequests.Where(r => r.ContactId == request.ContactId).ToListAsync(cancellationToken));
        await db.MarkErasedAsync(request.ContactId, now, cancellationToken);
        db.Outbox.Add(OutboxMessage.For(
            new ContactErased(Guid.CreateVersion7(), request.ContactId, now, request.Owner, service),
            Activity.Current?.Id));
    }

    /// <summary>
    /// On SQLite an erased value must leave the file's bytes too: <c>secure_delete</c> (set on every connection)
    /// zeroes what a change frees, and a checkpoint moves the write-ahead log into the file and truncates it, so no
    /// older page image is left there. Readers holding the log back are waited for, a few times.
    /// </summary>
    public static async Task CheckpointAsync(this DbContext db, CancellationToken cancellationToken)
    {
        if (!db.Database.IsSqlite())
        {
            return;
        }
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            for (var attempt = 0; attempt < 20; attempt++)
            {
                await using var command = connection.CreateCommand();
                // PRAGMA wal_checkpoint answers (busy, log frames, checkpointed frames); busy 1: a reader held it back.
                command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
                if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken),
                        System.Globalization.CultureInfo.InvariantCulture) == 0)
                {
                    return;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
