using Funnel.Infrastructure.Http;
using Funnel.Quoting.Data;
using Funnel.Quoting.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Quoting.Features;

public static class QuoteLookup
{
    /// <summary>The opportunity and one of its quotes, for a write; or the answer that refuses the request.</summary>
    public static async Task<(Opportunity? Opportunity, Quote? Quote, ProblemHttpResult? Refusal)> FindQuoteAsync(
        this QuotingDbContext db, Guid contactId, Guid quoteId, Caller caller, HttpContext http,
        CancellationToken cancellationToken)
    {
        var lookup = await db.Opportunities.FindForAsync(contactId, "opportunity", caller, http, cancellationToken);
        if (lookup.Refused)
        {
            return (null, null, lookup.Refusal);
        }
        var quote = lookup.Record.Quotes.FirstOrDefault(q => q.QuoteId == quoteId);
        return quote is null
            ? (lookup.Record, null, Problems.NotFound("quote", quoteId))
            : (lookup.Record, quote, null);
    }
}
