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
        var validation = Validation.Of(request)
            .Check(request.Currency is null || MoneyDto.IsCurrency(request.Currency), "currency",
                "'currency' must be a three-letter ISO 4217 code in capitals.")
            .Check(request.ValidUntil is null || request.ValidUntil >= today, "validUntil",
                "'validUntil' cannot be in the past.");
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
            // The line's own rules (required, lengths, ranges) were checked with the request (Validation.Of).
            var line = lines[i];
            var at = $"lines[{i}]";
            if (line is null)
            {
                continue;
            }
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
