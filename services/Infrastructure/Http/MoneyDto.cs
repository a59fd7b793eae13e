using Funnel.Contracts;

namespace Funnel.Infrastructure.Http;

/// <summary>Money on the wire: <c>{ "amount": 1234.50, "currency": "EUR" }</c>, at most two decimals.</summary>
public sealed record MoneyDto(decimal Amount, string Currency)
{
    public static MoneyDto From(Money money) => new(FromMinor(money.MinorUnits), money.Currency);

    public static MoneyDto From(long minorUnits, string currency) => new(FromMinor(minorUnits), currency);

    /// <summary>A report's total, which may exceed one amount's maximum.</summary>
    public static MoneyDto From(decimal minorUnits, string currency) => new(minorUnits / 100m, currency);

    public static decimal FromMinor(long minorUnits) => minorUnits / 100m;

    /// <summary>The largest amount the API takes or gives, in major units (<see cref="Money.MaxMinorUnits"/>).</summary>
    public const decimal MaxAmount = Money.MaxMinorUnits / 100m;

    /// <summary>Cents of a two-decimal amount; null (with an error added) when it has more decimals or is too large.</summary>
    public static long? ToMinor(decimal amount, string field, Validation validation)
    {
        // Bounded before any arithmetic: 1e27 * 100 would overflow decimal itself.
        if (amount is > MaxAmount or < -MaxAmount)
        {
            validation.Add(field, $"'{field}' must be at most {MaxAmount:N0}.");
            return null;
        }
        var cents = amount * 100m;
        if (cents != decimal.Truncate(cents))
        {
            validation.Add(field, $"'{field}' must have at most 2 decimals.");
            return null;
        }
        return (long)cents;
    }

    public static bool IsCurrency(string? currency) =>
        currency is { Length: 3 } && currency.All(c => c is >= 'A' and <= 'Z');
}
