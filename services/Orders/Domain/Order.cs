namespace Funnel.Orders.Domain;

/// <summary>An accepted quote turned into a sale, credited to the salesperson who owned the quote.</summary>
public sealed class Order
{
    public Guid OrderId { get; init; }
    public Guid ContactId { get; init; }

    /// <summary>Unique: one accepted quote makes exactly one order, however often its message arrives.</summary>
    public Guid QuoteId { get; init; }

    public int QuoteVersion { get; init; }
    public required string Owner { get; init; }
    public required string Currency { get; init; }
    public long TotalMinor { get; init; }
    public DateTimeOffset PlacedAt { get; init; }
    public List<OrderLine> Lines { get; init; } = [];
}

public sealed class OrderLine
{
    public int LineNumber { get; init; }
    public required string Sku { get; init; }
    public required string Description { get; init; }
    public decimal Quantity { get; init; }
    public long UnitPriceMinor { get; init; }
    public decimal DiscountPercent { get; init; }
    public long TotalMinor { get; init; }
}

/// <summary>A contact who has placed at least one order.</summary>
public sealed class Customer
{
    public Guid ContactId { get; init; }
    public required string Name { get; set; }
    public string? Company { get; set; }
    public required string Owner { get; set; }
    public DateTimeOffset CustomerSince { get; init; }
}
