namespace Funnel.Orders.Domain;

/// <summary>One salesperson's orders in one currency.</summary>
public sealed record SalespersonSales(string Owner, string Currency, int Orders, decimal TotalMinor);

public sealed record CurrencySales(string Currency, int Orders, decimal TotalMinor);

/// <summary>The company's volume per currency (no conversion between currencies), from the per-salesperson figures.</summary>
public static class SalesVolume
{
    /// <summary>
    /// Sums of minor units are taken in the database in two parts (billions and the rest), each far from a long's end
    /// however many orders; the report adds them as a decimal, so no volume overflows.
    /// </summary>
    public const long SplitAt = 1_000_000_000;

    public static decimal Join(long billions, long rest) => (decimal)billions * SplitAt + rest;

    public static IReadOnlyList<CurrencySales> Total(IEnumerable<SalespersonSales> bySalesperson) =>
        bySalesperson
            .GroupBy(s => s.Currency)
            .Select(g => new CurrencySales(g.Key, g.Sum(s => s.Orders), g.Sum(s => s.TotalMinor)))
            .OrderBy(c => c.Currency, StringComparer.Ordinal)
            .ToList();
}
