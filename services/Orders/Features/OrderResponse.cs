using Funnel.Infrastructure.Http;
using Funnel.Orders.Domain;

namespace Funnel.Orders.Features;

public sealed record OrderLineResponse(
    string Sku, string Description, decimal Quantity, MoneyDto UnitPrice, decimal DiscountPercent, MoneyDto Total);

public sealed record OrderResponse(
    Guid OrderId, Guid ContactId, Guid QuoteId, int QuoteVersion, string Owner, MoneyDto Total,
    DateTimeOffset PlacedAt, IReadOnlyList<OrderLineResponse> Lines)
{
    public static OrderResponse From(Order o) => new(
        o.OrderId, o.ContactId, o.QuoteId, o.QuoteVersion, o.Owner, MoneyDto.From(o.TotalMinor, o.Currency),
        o.PlacedAt,
        o.Lines.OrderBy(l => l.LineNumber).Select(l => new OrderLineResponse(l.Sku, l.Description, l.Quantity,
            MoneyDto.From(l.UnitPriceMinor, o.Currency), l.DiscountPercent, MoneyDto.From(l.TotalMinor, o.Currency)))
            .ToList());
}
