using Funnel.Pipeline.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Funnel.Pipeline.Data;

/// <summary>
/// What a save does to the daily flow counts: each visit added, changed or removed takes its old values out of its
/// day's counts and puts its new ones in, so a refold, an event that ends a visit and a reassignment that moves a
/// contact to another owner all keep the counts equal to the visits.
/// </summary>
public static class StageFlowChanges
{
    private readonly record struct Key(string Stage, string Owner, DateOnly Day);

    private readonly record struct Counts(int Entered, int Converted, int Lost, int Ended)
    {
        public static Counts operator +(Counts a, Counts b) =>
            new(a.Entered + b.Entered, a.Converted + b.Converted, a.Lost + b.Lost, a.Ended + b.Ended);

        public static Counts operator -(Counts a) => new(-a.Entered, -a.Converted, -a.Lost, -a.Ended);

        public bool IsZero => this == default;
    }

    /// <summary>True when the save changes a visit, so the counts must change with it.</summary>
    public static bool ChangesVisits(this ChangeTracker tracker)
    {
        tracker.DetectChanges();
        return tracker.Entries<StageVisitRow>().Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted);
    }

    /// <summary>
    /// Applies the tracked visits' changes to the counts, inside the caller's transaction: an existing day's row is
    /// updated in place (an atomic increment, so concurrent saves of other contacts never conflict on it) and a day
    /// seen for the first time is added to the save. Runs again from the start when the transaction is retried.
    /// </summary>
    public static async Task ApplyAsync(PipelineDbContext db, CancellationToken cancellationToken)
    {
        foreach (var added in db.ChangeTracker.Entries<StageFlowDay>().Where(e => e.State == EntityState.Added).ToList())
        {
            added.State = EntityState.Detached;
        }
        var changes = new Dictionary<Key, Counts>();
        foreach (var entry in db.ChangeTracker.Entries<StageVisitRow>())
        {
            if (entry.State is EntityState.Modified or EntityState.Deleted)
            {
                Add(changes, entry.OriginalValues, -1);
            }
            if (entry.State is EntityState.Modified or EntityState.Added)
            {
                Add(changes, entry.CurrentValues, +1);
            }
        }
        foreach (var (key, change) in changes.Where(c => !c.Value.IsZero))
        {
            var (stage, owner, day) = key;
            var (entered, converted, lost, ended) = change;
            var updated = await db.FlowDays.Where(f => f.Stage == stage && f.Owner == owner && f.Day == day)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(f => f.Entered, f => f.Entered + entered)
                    .SetProperty(f => f.Converted, f => f.Converted + converted)
                    .SetProperty(f => f.Lost, f => f.Lost + lost)
                    .SetProperty(f => f.Ended, f => f.Ended + ended), cancellationToken);
            if (updated == 0)
            {
                // Two saves that both find no row for a new day both add one; the second fails on the key and is
                // retried with the consumer's message, and then finds the first one's row.
                db.FlowDays.Add(new StageFlowDay
                {
                    Stage = stage,
                    Owner = owner,
                    Day = day,
                    Entered = entered,
                    Converted = converted,
                    Lost = lost,
                    Ended = ended,
                });
            }
        }
    }

    private static void Add(Dictionary<Key, Counts> changes, PropertyValues visit, int sign)
    {
        var key = new Key(visit.GetValue<string>(nameof(StageVisitRow.Stage)), visit.GetValue<string>(nameof(StageVisitRow.Owner)),
            StageFlowDay.DayOf(visit.GetValue<DateTimeOffset>(nameof(StageVisitRow.EnteredAt))));
        var outcome = visit.GetValue<StageOutcome?>(nameof(StageVisitRow.Outcome));
        var counts = new Counts(1, outcome == StageOutcome.Advanced ? 1 : 0, outcome == StageOutcome.Lost ? 1 : 0,
            visit.GetValue<double?>(nameof(StageVisitRow.DaysInStage)) is null ? 0 : 1);
        changes[key] = changes.GetValueOrDefault(key) + (sign > 0 ? counts : -counts);
    }
}
