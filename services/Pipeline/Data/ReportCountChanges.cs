using Funnel.Pipeline.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Funnel.Pipeline.Data;

/// <summary>
/// What a save does to the reports' maintained counts (<see cref="StageFlowDay"/>, <see cref="BoardCount"/>): each
/// visit and journey added, changed or removed takes its old values out of its counts and puts its new ones in, so a
/// refold, an event that ends a visit and a reassignment that moves a contact to another owner all keep the counts
/// equal to the rows. Applied in the save's transaction: an existing count is incremented in place (atomically, so
/// concurrent saves of other contacts never conflict on it), one seen for the first time is inserted, and one that no
/// longer counts anything is removed, so the counts hold the same rows however the rows got there (a data move checks
/// that).
/// </summary>
public sealed class ReportCountChanges
{
    private readonly record struct FlowKey(string Stage, string Owner, DateOnly Day);

    private readonly record struct Flow(int Entered, int Converted, int Lost, int Ended);

    private readonly record struct BoardKey(string Stage, string Owner, string Currency);

    private readonly record struct Board(int Contacts, long OpenMinor, long WeightedMinor);

    private readonly Dictionary<FlowKey, Flow> _flows = [];
    private readonly Dictionary<BoardKey, Board> _board = [];

    public bool IsEmpty => _flows.Count == 0 && _board.Count == 0;

    /// <summary>The net changes of the tracked visits and journeys; none when a save moves no count.</summary>
    public static ReportCountChanges Of(ChangeTracker tracker)
    {
        tracker.DetectChanges();
        var changes = new ReportCountChanges();
        foreach (var entry in tracker.Entries<StageVisitRow>())
        {
            Collect(entry.State, entry.OriginalValues, entry.CurrentValues, Visit, changes._flows,
                (a, b, sign) => new(a.Entered + sign * b.Entered, a.Converted + sign * b.Converted,
                    a.Lost + sign * b.Lost, a.Ended + sign * b.Ended));
        }
        foreach (var entry in tracker.Entries<JourneyRow>())
        {
            Collect(entry.State, entry.OriginalValues, entry.CurrentValues, Journey, changes._board,
                (a, b, sign) => new(a.Contacts + sign * b.Contacts, a.OpenMinor + sign * b.OpenMinor,
                    a.WeightedMinor + sign * b.WeightedMinor));
        }
        RemoveUnchanged(changes._flows);
        RemoveUnchanged(changes._board);
        return changes;
    }

    /// <summary>Applies the changes inside the caller's transaction; runs again from the start when it is retried.</summary>
    public Task ApplyAsync(PipelineDbContext db, CancellationToken cancellationToken) =>
        IsEmpty ? Task.CompletedTask
        : db.Database.IsSqlServer() ? UpdateOrAddAsync(db, cancellationToken)
        : UpsertAsync(db, cancellationToken);

    /// <summary>
    /// SQLite and PostgreSQL: every change in one command of upserts (the same <c>ON CONFLICT</c> syntax in both), so
    /// a save that moves counts costs one more round trip, not one per count (on PostgreSQL, a statement each had
    /// halved Pipeline's fold rate).
    /// </summary>
    private async Task UpsertAsync(PipelineDbContext db, CancellationToken cancellationToken)
    {
        var sql = new System.Text.StringBuilder();
        var values = new List<object>();
        string next(object value)
        {
            values.Add(value);
            return $"{{{values.Count - 1}}}";
        }
        foreach (var ((stage, owner, day), (entered, converted, lost, ended)) in _flows)
        {
            var (s, d, o) = (next(stage), next(day), next(owner));
            sql.Append($"""
                INSERT INTO "stage_flow_days" ("Stage", "Day", "Owner", "Entered", "Converted", "Lost", "Ended")
                VALUES ({s}, {d}, {o}, {next(entered)}, {next(converted)}, {next(lost)}, {next(ended)})
                ON CONFLICT ("Stage", "Day", "Owner") DO UPDATE SET
                "Entered" = "stage_flow_days"."Entered" + excluded."Entered",
                "Converted" = "stage_flow_days"."Converted" + excluded."Converted",
                "Lost" = "stage_flow_days"."Lost" + excluded."Lost",
                "Ended" = "stage_flow_days"."Ended" + excluded."Ended";

                """);
            if (entered < 0)
            {
                sql.Append($"""
                    DELETE FROM "stage_flow_days" WHERE "Stage" = {s} AND "Day" = {d} AND "Owner" = {o} AND "Entered" = 0;

                    """);
            }
        }
        foreach (var ((stage, owner, currency), (contacts, open, weighted)) in _board)
        {
            var (s, o, c) = (next(stage), next(owner), next(currency));
            sql.Append($"""
                INSERT INTO "board_counts" ("Stage", "Owner", "Currency", "Contacts", "OpenMinor", "WeightedMinor")
                VALUES ({s}, {o}, {c}, {next(contacts)}, {next(open)}, {next(weighted)})
                ON CONFLICT ("Stage", "Owner", "Currency") DO UPDATE SET
                "Contacts" = "board_counts"."Contacts" + excluded."Contacts",
                "OpenMinor" = "board_counts"."OpenMinor" + excluded."OpenMinor",
                "WeightedMinor" = "board_counts"."WeightedMinor" + excluded."WeightedMinor";

                """);
            if (contacts < 0)
            {
                sql.Append($"""
                    DELETE FROM "board_counts" WHERE "Stage" = {s} AND "Owner" = {o} AND "Currency" = {c} AND "Contacts" = 0;

                    """);
            }
        }
        // Table and column names are fixed here; every value is a parameter.
        await db.Database.ExecuteSqlRawAsync(sql.ToString(), values, cancellationToken);
    }

    /// <summary>
    /// SQL Server has no <c>ON CONFLICT</c>: each count is updated in place, or added to the save when no row has it
    /// yet. Two saves that both find none both add one; the second fails on the key and is retried with the
    /// consumer's message, and then finds the first one's row.
    /// </summary>
    private async Task UpdateOrAddAsync(PipelineDbContext db, CancellationToken cancellationToken)
    {
        foreach (var added in db.ChangeTracker.Entries()
                     .Where(e => e.State == EntityState.Added && e.Entity is StageFlowDay or BoardCount).ToList())
        {
            added.State = EntityState.Detached;
        }
        foreach (var ((stage, owner, day), (entered, converted, lost, ended)) in _flows)
        {
            if (await db.FlowDays.Where(f => f.Stage == stage && f.Owner == owner && f.Day == day)
                    .ExecuteUpdateAsync(set => set
                        .SetProperty(f => f.Entered, f => f.Entered + entered)
                        .SetProperty(f => f.Converted, f => f.Converted + converted)
                        .SetProperty(f => f.Lost, f => f.Lost + lost)
                        .SetProperty(f => f.Ended, f => f.Ended + ended), cancellationToken) == 0)
            {
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
            else if (entered < 0)
            {
                await db.FlowDays.Where(f => f.Stage == stage && f.Owner == owner && f.Day == day && f.Entered == 0)
                    .ExecuteDeleteAsync(cancellationToken);
            }
        }
        foreach (var ((stage, owner, currency), (contacts, open, weighted)) in _board)
        {
            if (await db.BoardCounts.Where(b => b.Stage == stage && b.Owner == owner && b.Currency == currency)
                    .ExecuteUpdateAsync(set => set
                        .SetProperty(b => b.Contacts, b => b.Contacts + contacts)
                        .SetProperty(b => b.OpenMinor, b => b.OpenMinor + open)
                        .SetProperty(b => b.WeightedMinor, b => b.WeightedMinor + weighted), cancellationToken) == 0)
            {
                db.BoardCounts.Add(new BoardCount
                {
                    Stage = stage,
                    Owner = owner,
                    Currency = currency,
                    Contacts = contacts,
                    OpenMinor = open,
                    WeightedMinor = weighted,
                });
            }
            else if (contacts < 0)
            {
                await db.BoardCounts.Where(b => b.Stage == stage && b.Owner == owner && b.Currency == currency && b.Contacts == 0)
                    .ExecuteDeleteAsync(cancellationToken);
            }
        }
    }

    /// <summary>A visit counts on the day it began, with how it ended.</summary>
    private static (FlowKey, Flow)? Visit(PropertyValues visit)
    {
        var outcome = visit.GetValue<StageOutcome?>(nameof(StageVisitRow.Outcome));
        return (new FlowKey(visit.GetValue<string>(nameof(StageVisitRow.Stage)), visit.GetValue<string>(nameof(StageVisitRow.Owner)),
                StageFlowDay.DayOf(visit.GetValue<DateTimeOffset>(nameof(StageVisitRow.EnteredAt)))),
            new Flow(1, outcome == StageOutcome.Advanced ? 1 : 0, outcome == StageOutcome.Lost ? 1 : 0,
                visit.GetValue<double?>(nameof(StageVisitRow.DaysInStage)) is null ? 0 : 1));
    }

    /// <summary>A journey counts on the board unless it is lost, with its open quote if it has one.</summary>
    private static (BoardKey, Board)? Journey(PropertyValues journey)
    {
        if (journey.GetValue<JourneyStatus>(nameof(JourneyRow.Status)) == JourneyStatus.Lost)
        {
            return null;
        }
        return (new BoardKey(journey.GetValue<string>(nameof(JourneyRow.Stage)), journey.GetValue<string>(nameof(JourneyRow.Owner)),
                journey.GetValue<string?>(nameof(JourneyRow.OpenQuoteCurrency)) ?? ""),
            new Board(1, journey.GetValue<long?>(nameof(JourneyRow.OpenQuoteMinor)) ?? 0,
                journey.GetValue<long?>(nameof(JourneyRow.WeightedQuoteMinor)) ?? 0));
    }

    private static void Collect<TKey, TCounts>(EntityState state, PropertyValues original, PropertyValues current,
        Func<PropertyValues, (TKey Key, TCounts Counts)?> counted, Dictionary<TKey, TCounts> changes,
        Func<TCounts, TCounts, int, TCounts> add)
        where TKey : notnull where TCounts : struct
    {
        if (state is EntityState.Modified or EntityState.Deleted && counted(original) is { } before)
        {
            changes[before.Key] = add(changes.GetValueOrDefault(before.Key), before.Counts, -1);
        }
        if (state is EntityState.Modified or EntityState.Added && counted(current) is { } after)
        {
            changes[after.Key] = add(changes.GetValueOrDefault(after.Key), after.Counts, +1);
        }
    }

    /// <summary>Drops the counts whose changes cancel out (a journey's event that moved no count, say).</summary>
    private static void RemoveUnchanged<TKey, TCounts>(Dictionary<TKey, TCounts> changes)
        where TKey : notnull where TCounts : struct, IEquatable<TCounts>
    {
        foreach (var key in changes.Where(c => c.Value.Equals(default)).Select(c => c.Key).ToList())
        {
            changes.Remove(key);
        }
    }
}
