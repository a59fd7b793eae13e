using System.ComponentModel.DataAnnotations;
using Funnel.Contracts;
using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Quoting.Data;
using Funnel.Quoting.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Quoting.Features.CreateQuote;

public sealed record CreateQuoteRequest(
    [property: Required, StringLength(3, MinimumLength = 3)] string? Currency,
    [property: Required] DateOnly? ValidUntil,
    [property: Required, Length(1, CreateQuoteEndpoint.MaxLines)] IReadOnlyList<CreateQuoteLine>? Lines);

public sealed record CreateQuoteLine(
    [property: Required, StringLength(64, MinimumLength = 1)] string? Sku,
    [property: Required, StringLength(500, MinimumLength = 1)] string? Description,
    [property: Required, Range(0.000001, 1_000_000)] decimal? Quantity,
    [property: Required, Range(0, 1_000_000_000)] decimal? UnitPrice,
    [property: Range(0, 100)] decimal? DiscountPercent);

/// <summary>
/// <c>POST /api/quoting/{contactId}/quotes</c>: a new quote version in draft; the older drafts and sent quotes are
/// superseded by it.
/// </summary>
public static class CreateQuoteEndpoint
{
    internal const int MaxLines = 200;

    public static void MapCreateQuote(this IEndpointRouteBuilder app) =>
        app.MapPost("/{contactId:guid}/quotes", Handle).WithName("CreateQuote")
            .WithSummary("Create a quote (a new version, in draft) from priced lines.");

    private static async Task<Results<Created<QuoteResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid contactId, CreateQuoteRequest request, QuotingDbContext db, StageGate gate, TimeProvider time,
        HttpContext http, Caller caller, CancellationToken cancellationToken)
    {
        var today = time.Today();
        var validation = new Validation()
            .Check(MoneyDto.IsCurrency(request.Currency), "currency",
                "'currency' must be a three-letter ISO 4217 code in capitals.")
            .Check(request.ValidUntil is not null, "validUntil", "'validUntil' is required.")
            .Check(request.ValidUntil is null || request.ValidUntil >= today, "validUntil",
                "'validUntil' cannot be in the past.")
            .Check(request.Lines is { Count: > 0 }, "lines", "A quote needs at least one line.")
            .Check(request.Lines is null || request.Lines.Count <= MaxLines, "lines",
                $"A quote has at most {MaxLines} lines.");
        var lines = PriceLines(request.Lines ?? [], validation);
        return await db.Opportunities.MoveAsync(contactId, "opportunity", validation, caller, http, found =>
        {
            var quote = found.DraftQuote(request.Currency!, request.ValidUntil!.Value, lines, gate, time.GetUtcNow());
            return TypedResults.Created($"/api/quoting/{contactId}", QuoteResponse.From(quote));
        }, cancellationToken);
    }

    private static List<QuoteLineItem> PriceLines(IReadOnlyList<CreateQuoteLine> lines, Validation validation)
    {
        var priced = new List<QuoteLineItem>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var at = $"lines[{i}]";
            if (line is null)
            {
                validation.Add(at, "A line cannot be null.");
                continue;
            }
            validation
                .Required(line.Sku, $"{at}.sku").MaxLength(line.Sku, 64, $"{at}.sku")
                .Required(line.Description, $"{at}.description").MaxLength(line.Description, 500, $"{at}.description")
                .Check(line.Quantity is > 0 and <= 1_000_000, $"{at}.quantity",
                    "'quantity' must be more than 0 and at most 1,000,000.")
                .Check(line.UnitPrice is >= 0 and <= 1_000_000_000, $"{at}.unitPrice",
                    "'unitPrice' must be between 0 and 1,000,000,000.")
                .Check(line.DiscountPercent is null or (>= 0 and <= 100), $"{at}.discountPercent",
                    "'discountPercent' must be between 0 and 100.");
            var unitPriceMinor = line.UnitPrice is { } price ? MoneyDto.ToMinor(price, $"{at}.unitPrice", validation) : null;
            if (validation.IsValid && unitPriceMinor is not null)
            {
                var item = QuoteLineItem.Price(i + 1, line.Sku!.Trim(), line.Description!.Trim(), line.Quantity!.Value,
                    unitPriceMinor.Value, line.DiscountPercent ?? 0);
                validation.Check(item.TotalMinor <= Money.MaxMinorUnits, at,
                    $"The line's total must be at most {MoneyDto.MaxAmount:N0}.");
                priced.Add(item);
            }
        }
        // Each line is at most the maximum, so this sum cannot overflow; the quote's total has the same maximum.
        validation.Check(priced.Sum(l => (decimal)l.TotalMinor) <= Money.MaxMinorUnits, "lines",
            $"The quote's total must be at most {MoneyDto.MaxAmount:N0}.");
        return priced;
    }
}
