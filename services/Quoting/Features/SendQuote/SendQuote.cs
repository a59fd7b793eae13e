using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Quoting.Data;
using Funnel.Quoting.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Funnel.Quoting.Features.SendQuote;

/// <summary><c>POST /api/quoting/{contactId}/quotes/{quoteId}/send</c>: the draft goes to the prospect.</summary>
public static class SendQuoteEndpoint
{
    public static void MapSendQuote(this IEndpointRouteBuilder app) =>
        app.MapPost("/{contactId:guid}/quotes/{quoteId:guid}/send", Handle).WithName("SendQuote")
            .WithSummary("Send a draft quote to the prospect.");

    private static async Task<Results<Ok<QuoteResponse>, ProblemHttpResult>> Handle(
        Guid contactId, Guid quoteId, QuotingDbContext db, StageGate gate, IOptionsMonitor<ProgressOptions> progress,
        TimeProvider time, HttpContext http, Caller caller, CancellationToken cancellationToken)
    {
        return await db.Opportunities.MoveAsync(contactId, "opportunity", caller, http, found =>
        {
            var quote = found.QuoteOf(quoteId);
            found.Send(quote, gate, progress.CurrentValue, time.GetUtcNow());
            return TypedResults.Ok(QuoteResponse.From(quote));
        }, cancellationToken);
    }
}
