using Funnel.Contracts;
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
        app.MapPost("/api/quoting/{contactId:guid}/quotes/{quoteId:guid}/send", Handle).WithName("SendQuote")
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

        var now = time.GetUtcNow();
        opportunity!.Send(quote!, now);
        db.Publish(new QuoteSent(Guid.CreateVersion7(), contactId, now, opportunity.Owner,
            gate.Unmet(opportunity.DoneTasks(quote, time.Today())), quote!.QuoteId, quote.Version,
            new Money(quote.Currency, quote.TotalMinor), quote.ValidUntil));
        if (opportunity.ReachMilestone(QuotingTasks.QuoteSent, progress.CurrentValue.Milestones))
        {
            db.PublishProgress(opportunity, gate, now);
        }
        await db.SaveChangesAsync(cancellationToken);
        Preconditions.Tag(http, opportunity.Revision);
        return TypedResults.Ok(QuoteResponse.From(quote));
    }
}
