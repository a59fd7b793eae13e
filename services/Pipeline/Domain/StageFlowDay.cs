namespace Funnel.Pipeline.Domain;

/// <summary>
/// The visits one owner's contacts began in one stage on one day (UTC), and how many of them have ended, moved on or
/// been lost so far: the funnel's flows summed over days, so a report costs the same at 1,000 contacts and at
/// 100,000. Kept in step with <see cref="StageVisitRow"/> in the same transaction as every change to the visits
/// (<see cref="Data.ReportCountChanges"/>).
/// </summary>
public sealed class StageFlowDay
{
    public string Stage { get; init; } = "";
    public string Owner { get; init; } = "";

    /// <summary>The day (UTC) the visits began.</summary>
    public DateOnly Day { get; init; }

    public int Entered { get; init; }
    public int Converted { get; init; }
    public int Lost { get; init; }
    public int Ended { get; init; }

    public static DateOnly DayOf(DateTimeOffset time) => DateOnly.FromDateTime(time.UtcDateTime);

    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
