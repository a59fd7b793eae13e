using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Quoting.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Quoting.Features.RejectQuote;

/// <summary>
/// <c>POST /api/quoting/{contactId}/quotes/{quoteId}/reject</c>: the prospect turned this quote down; the
/// opportunity stays open for a new version.
/// </summary>
public static class RejectQuoteEndpoint
{
    public static void MapRejectQuote(this IEndpointRouteBuilder app) =>
        app.MapPost("/{contactId:guid}/quotes/{quoteId:guid}/reject", Handle).WithName("RejectQuote")
            .WithSummary("Reject the quote; a reason is required.");

    private static async Task<Results<Ok<QuoteResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid contactId, Guid quoteId, ReasonRequest request, QuotingDbContext db, StageGate gate,
        TimeProvider time, HttpContext http, Caller caller, CancellationToken cancellationToken)
    {
        var validation = Validation.Of(request);
        return await db.Opportunities.MoveAsync(contactId, "opportunity", validation, caller, http, found =>
        {
            var quote = found.QuoteOf(quoteId);
            found.Reject(quote, request.Reason!.Trim(), gate, time.GetUtcNow());
            return TypedResults.Ok(QuoteResponse.From(quote));
        }, cancellationToken);
    }
}
