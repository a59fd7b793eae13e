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
        app.MapPost("/{contactId:guid}/quotes/{quoteId:guid}/accept", Handle).WithName("AcceptQuote")
            .WithSummary("Accept the quote and hand it to Orders: 202, or 409 with the unmet tasks.");

    private static async Task<Results<Accepted<AcceptQuoteResponse>, ProblemHttpResult>> Handle(
        Guid contactId, Guid quoteId, QuotingDbContext db, StageGate gate, TimeProvider time,
        HttpContext http, Caller caller, CancellationToken cancellationToken)
    {
        return await db.Opportunities.MoveAsync(contactId, "opportunity", caller, http, found =>
        {
            var quote = found.QuoteOf(quoteId);
            found.Accept(quote, gate, time.GetUtcNow());
            var next = $"/api/customers/{contactId}";
            return TypedResults.Accepted(next,
                new AcceptQuoteResponse(contactId, quoteId, quote.Status, gate.Version, next));
        }, cancellationToken);
    }
}
