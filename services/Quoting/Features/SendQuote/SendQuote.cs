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
        var (opportunity, quote, refused) = await db.FindQuoteAsync(contactId, quoteId, caller, http, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        opportunity!.Send(quote!, gate, progress.CurrentValue, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        Preconditions.Tag(http, opportunity.Revision);
        return TypedResults.Ok(QuoteResponse.From(quote!));
    }
}
