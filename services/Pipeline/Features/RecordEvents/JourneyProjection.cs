using Funnel.Pipeline.Data;
using Funnel.Pipeline.Domain;
using Microsoft.EntityFrameworkCore;

namespace Funnel.Pipeline.Features.RecordEvents;

/// <summary>
/// Keeps the read model a pure function of the stored events: a contact's row is its events folded afresh, so the
/// live model and a rebuild from the store are equal by construction.
/// </summary>
public static class JourneyProjection
{
    /// <summary>Refolds the contact with <paramref name="arriving"/> (not yet saved) and stages its row.</summary>
    public static async Task ProjectAsync(this PipelineDbContext db, StageEventRecord arriving,
        CancellationToken cancellationToken)
    {
        // The row before the events: an event of this contact committed after the row was read has moved the row's
        // revision, so this save fails and the retry folds both. Read the other way round, the row could already
        // carry that event's revision while the fold misses the event, and the save would drop it from the journey.
        var row = await db.Journeys.FindAsync([arriving.ContactId], cancellationToken);
        var stored = await db.Events.AsNoTracking().Where(e => e.ContactId == arriving.ContactId)
            .ToListAsync(cancellationToken);
        // A reassignment that overtook the contact's capture is kept for the fold that the capture brings.
        if (Journey.From(arriving.ContactId, stored.Append(arriving)) is not { } journey)
        {
            return;
        }
        if (row is not null)
        {
            row.Update(journey);
        }
        else
        {
            db.Journeys.Add(JourneyRow.For(journey));
        }
    }

    /// <summary>Drops the read model and folds every contact's stored events again, in one transaction.</summary>
    public static async Task<int> RebuildAsync(this PipelineDbContext db, CancellationToken cancellationToken)
    {
        const int contactsPerBatch = 500;
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Journeys.ExecuteDeleteAsync(cancellationToken);
            var contacts = await db.Events.Select(e => e.ContactId).Distinct().ToListAsync(cancellationToken);
            foreach (var batch in contacts.Chunk(contactsPerBatch))
            {
                var events = await db.Events.AsNoTracking().Where(e => batch.Contains(e.ContactId))
                    .ToListAsync(cancellationToken);
                foreach (var contact in events.GroupBy(e => e.ContactId))
                {
                    if (Journey.From(contact.Key, contact) is { } journey)
                    {
                        db.Journeys.Add(JourneyRow.For(journey));
                    }
                }
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
            }
            await transaction.CommitAsync(cancellationToken);
            return contacts.Count;
        });
    }
}
