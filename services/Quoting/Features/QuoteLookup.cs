using Funnel.Infrastructure.Http;
using Funnel.Quoting.Data;
using Funnel.Quoting.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Quoting.Features;

public static class QuoteLookup
{
    /// <summary>The opportunity and one of its quotes, or the 404 that says which is unknown.</summary>
    public static async Task<(Opportunity? Opportunity, Quote? Quote, ProblemHttpResult? NotFound)> FindQuoteAsync(
        this QuotingDbContext db, Guid contactId, Guid quoteId, CancellationToken cancellationToken)
    {
        var opportunity = await db.Opportunities.FindAsync([contactId], cancellationToken);
        if (opportunity is null)
        {
            return (null, null, Problems.NotFound("opportunity", contactId));
        }
        var quote = opportunity.Quotes.FirstOrDefault(q => q.QuoteId == quoteId);
        return quote is null
            ? (opportunity, null, Problems.NotFound("quote", quoteId))
            : (opportunity, quote, null);
    }
}
