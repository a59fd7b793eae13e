namespace Funnel.Pipeline.Domain;

/// <summary>
/// The contacts on the board (not lost) in one stage for one owner whose open quote is in one currency (<c>""</c>
/// for none), with their open quotes' sum and weighted sum: the board's counts and values and the funnel's forecast
/// summed over these rows, so they cost the same at 1,000 contacts and at 100,000. Kept in step with
/// <see cref="JourneyRow"/> in the same transaction as every change to the journeys (<see cref="Data.ReportCountChanges"/>).
/// </summary>
public sealed class BoardCount
{
    public string Stage { get; init; } = "";
    public string Owner { get; init; } = "";
    public string Currency { get; init; } = "";
    public int Contacts { get; init; }
    public long OpenMinor { get; init; }
    public long WeightedMinor { get; init; }
}
