using Funnel.Contracts;
using Funnel.Infrastructure.Domain;

namespace Funnel.Orders.Domain;

/// <summary>An accepted quote turned into a sale, credited to the salesperson who owned the quote.</summary>
public sealed class Order : IOwned
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

/// <summary>A contact who has placed at least one order: the customer stage's record of the contact.</summary>
public sealed class Customer : StageRecord, IOwned, IReassignable, IHoldsPersonalData
{
    public required string Name { get; set; }
    public string? Company { get; set; }

    /// <summary>The salesperson who owns the contact; each order keeps whom it credited.</summary>
    public required string Owner { get; set; }

    public DateTimeOffset CustomerSince { get; init; }

    /// <summary>The contact's first accepted quote makes it a customer.</summary>
    public static Customer Becomes(QuoteAccepted accepted, DateTimeOffset at) => new()
    {
        ContactId = accepted.ContactId,
        Name = accepted.Name,
        Company = accepted.Company,
        Owner = accepted.Owner,
        CustomerSince = at,
    };

    public void Reassign(string owner) => Owner = owner;

    /// <summary>Erases the customer's name and company; orders, amounts and credit stay.</summary>
    public void ErasePersonalData()
    {
        Name = PersonalData.ErasedName;
        Company = null;
    }

    /// <summary>The accepted quote becomes an order, credited to whoever owned the contact when it was accepted.</summary>
    public Order PlaceOrder(QuoteAccepted accepted, DateTimeOffset at)
    {
        var order = new Order
        {
            OrderId = Guid.CreateVersion7(),
            ContactId = ContactId,
            QuoteId = accepted.QuoteId,
            QuoteVersion = accepted.Version,
            Owner = accepted.Owner,
            Currency = accepted.Total.Currency,
            TotalMinor = accepted.Total.MinorUnits,
            PlacedAt = at,
            Lines = accepted.Lines.Select((l, i) => new OrderLine
            {
                LineNumber = i + 1,
                Sku = l.Sku,
                Description = l.Description,
                Quantity = l.Quantity,
                UnitPriceMinor = l.UnitPriceMinor,
                DiscountPercent = l.DiscountPercent,
                TotalMinor = l.TotalMinor,
            }).ToList(),
        };
        Record(sequence => new OrderPlaced(Guid.CreateVersion7(), ContactId, at, Owner, [], order.OrderId,
            order.QuoteId, accepted.Total, sequence));
        return order;
    }
}
