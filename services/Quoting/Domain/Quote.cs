namespace Funnel.Quoting.Domain;

public enum QuoteStatus { Draft, Sent, Accepted, Rejected, Superseded }

/// <summary>One version of a price quote; a newer version supersedes the older ones.</summary>
public sealed class Quote
{
    public Guid QuoteId { get; init; }
    public int Version { get; init; }
    public required string Currency { get; init; }
    public DateOnly ValidUntil { get; init; }
    public QuoteStatus Status { get; set; } = QuoteStatus.Draft;
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? AcceptedUnderGate { get; set; }
    public string? RejectedReason { get; set; }
    public long TotalMinor { get; init; }
    public List<QuoteLineItem> Lines { get; init; } = [];
}

public sealed class QuoteLineItem
{
    public int LineNumber { get; init; }
    public required string Sku { get; init; }
    public required string Description { get; init; }
    public decimal Quantity { get; init; }
    public long UnitPriceMinor { get; init; }
    public decimal DiscountPercent { get; init; }
    public long TotalMinor { get; init; }

    /// <summary>Quantity times unit price less the discount, rounded half away from zero to a whole cent.</summary>
    public static QuoteLineItem Price(int lineNumber, string sku, string description, decimal quantity,
        long unitPriceMinor, decimal discountPercent) => new()
        {
            LineNumber = lineNumber,
            Sku = sku,
            Description = description,
            Quantity = quantity,
            UnitPriceMinor = unitPriceMinor,
            DiscountPercent = discountPercent,
            TotalMinor = (long)Math.Round(quantity * unitPriceMinor * (100m - discountPercent) / 100m, 0,
            MidpointRounding.AwayFromZero),
        };
}
