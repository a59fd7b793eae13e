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
        var validation = new Validation().Reason(request.Reason);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var (opportunity, quote, refused) = await db.FindQuoteAsync(contactId, quoteId, caller, http, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        opportunity!.Reject(quote!, request.Reason!.Trim(), gate, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        Preconditions.Tag(http, opportunity.Revision);
        return TypedResults.Ok(QuoteResponse.From(quote!));
    }
}
