using Funnel.Contracts;
using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Quoting.Data;
using Funnel.Quoting.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Quoting.Features.AcceptQuote;

public sealed record AcceptQuoteResponse(Guid ContactId, Guid QuoteId, QuoteStatus Status, string GateVersion, string Next);

/// <summary>
/// <c>POST /api/quoting/{contactId}/quotes/{quoteId}/accept</c>: through the accept gate (sent, still valid, not
/// superseded), the prospect accepts and Orders receives <see cref="QuoteAccepted"/>.
/// </summary>
public static class AcceptQuoteEndpoint
{
    public static void MapAcceptQuote(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/quoting/{contactId:guid}/quotes/{quoteId:guid}/accept", Handle).WithName("AcceptQuote")
            .WithSummary("Accept the quote and hand it to Orders: 202, or 409 with the unmet tasks.");

    private static async Task<Results<Accepted<AcceptQuoteResponse>, ProblemHttpResult>> Handle(
        Guid contactId, Guid quoteId, QuotingDbContext db, StageGate gate, TimeProvider time,
        HttpContext http, Caller caller, CancellationToken cancellationToken)
    {
        var (opportunity, quote, refused) = await db.FindQuoteAsync(contactId, quoteId, caller, http, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }
        if (opportunity!.Status != OpportunityStatus.Open)
        {
            return Problems.InvalidTransition(
                $"The opportunity of {contactId} is {opportunity.Status.ToString().ToLowerInvariant()}.");
        }
        var unmet = gate.Unmet(opportunity.DoneTasks(quote, time.Today()));
        if (unmet.Count > 0)
        {
            return Problems.GateUnmet($"Quote {quoteId} cannot be accepted.", unmet, gate.Version);
        }

        var now = time.GetUtcNow();
        opportunity.Accept(quote!, now, gate.Version);
        db.Publish(new QuoteAccepted(Guid.CreateVersion7(), contactId, now, opportunity.Owner, [], gate.Version,
            quote!.QuoteId, quote.Version, opportunity.Name, opportunity.Company,
            quote.Lines.OrderBy(l => l.LineNumber).Select(l => new QuoteLine(l.Sku, l.Description, l.Quantity,
                l.UnitPriceMinor, l.DiscountPercent, l.TotalMinor)).ToList(),
            new Money(quote.Currency, quote.TotalMinor)));
        await db.SaveChangesAsync(cancellationToken);
        Preconditions.Tag(http, opportunity.Revision);

        var next = $"/api/customers/{contactId}";
        return TypedResults.Accepted(next,
            new AcceptQuoteResponse(contactId, quoteId, quote.Status, gate.Version, next));
    }
}
