namespace Funnel.Orders.Domain;

/// <summary>One salesperson's orders in one currency.</summary>
public sealed record SalespersonSales(string Owner, string Currency, int Orders, long TotalMinor);

public sealed record CurrencySales(string Currency, int Orders, long TotalMinor);

/// <summary>The company's volume per currency (no conversion between currencies), from the per-salesperson figures.</summary>
public static class SalesVolume
{
    public static IReadOnlyList<CurrencySales> Total(IEnumerable<SalespersonSales> bySalesperson) =>
        bySalesperson
            .GroupBy(s => s.Currency)
            .Select(g => new CurrencySales(g.Key, g.Sum(s => s.Orders), g.Sum(s => s.TotalMinor)))
            .OrderBy(c => c.Currency, StringComparer.Ordinal)
            .ToList();
}
