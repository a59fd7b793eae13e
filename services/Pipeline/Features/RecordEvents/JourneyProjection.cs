using Funnel.Pipeline.Data;
using Funnel.Pipeline.Domain;
using Microsoft.EntityFrameworkCore;

namespace Funnel.Pipeline.Features.RecordEvents;

/// <summary>
/// Keeps the read model a pure function of the stored events: a contact's row is its events folded in order, so the
/// live model and a rebuild from the store are equal by construction. An event that comes after every event folded
/// so far (nearly all of them) is applied to the row alone; one that belongs earlier refolds the contact.
/// </summary>
public static class JourneyProjection
{
    /// <summary>Folds <paramref name="arriving"/> (not yet saved) into its contact's row and visits.</summary>
    public static async Task ProjectAsync(this PipelineDbContext db, StageEventRecord arriving,
        CancellationToken cancellationToken)
    {
        // The row before the events: an event of this contact committed after the row was read has moved the row's
        // revision, so this save fails and the retry folds both. Read the other way round, the row could already
        // carry that event's revision while the fold misses the event, and the save would drop it from the journey.
        // A query, not FindAsync: the context is fresh for each event, so Find's look into it first only cost a new
        // expression to build and check per event.
        var contactId = arriving.ContactId;
        var row = await db.Journeys.SingleOrDefaultAsync(j => j.ContactId == contactId, cancellationToken);
        var before = row?.Journey;
        var journey = before?.With(arriving) ?? Journey.From(arriving.ContactId,
            (await db.Events.AsNoTracking().Where(e => e.ContactId == contactId).ToListAsync(cancellationToken))
            .Append(arriving));
        // A reassignment that overtook the contact's capture is kept for the fold that the capture brings.
        if (journey is null)
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
        // Most events (a checklist, a quote) change no visit and no owner: their visits stay unread.
        if (before is not null && before.Owner == journey.Owner && before.History.SequenceEqual(journey.History))
        {
            return;
        }
        var visits = row is null
            ? []
            : await db.Visits.Where(v => v.ContactId == journey.ContactId).ToListAsync(cancellationToken);
        db.KeepVisits(journey, visits);
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
            await db.FlowDays.ExecuteDeleteAsync(cancellationToken);
            await db.BoardCounts.ExecuteDeleteAsync(cancellationToken);
            await db.Visits.ExecuteDeleteAsync(cancellationToken);
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
                        db.KeepVisits(journey, []);
                    }
                }
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
            }
            await transaction.CommitAsync(cancellationToken);
            return contacts.Count;
        });
    }

    /// <summary>Brings the contact's stored visits (<paramref name="stored"/>, tracked) in step with its history.</summary>
    private static void KeepVisits(this PipelineDbContext db, Journey journey, List<StageVisitRow> stored)
    {
        var byNumber = stored.ToDictionary(v => v.Number);
        for (var number = 0; number < journey.History.Count; number++)
        {
            if (!byNumber.TryGetValue(number, out var visit))
            {
                visit = new StageVisitRow { ContactId = journey.ContactId, Number = number };
                db.Visits.Add(visit);
            }
            visit.Update(journey.History[number], journey.Owner);
        }
        db.Visits.RemoveRange(stored.Where(v => v.Number >= journey.History.Count));
    }
}
