using Funnel.Infrastructure.Http;
using Funnel.Leads.Data;
using Funnel.Leads.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Leads.Features.ListLeads;

/// <summary><c>GET /api/leads</c>: leads newest first, filtered by status, owner, source or a search text.</summary>
public static class ListLeadsEndpoint
{
    public static void MapListLeads(this IEndpointRouteBuilder app) =>
        app.MapGet("", Handle).WithName("ListLeads").WithSummary("Page through leads.")
            .WithQueryValues<LeadStatus>("status").WithQueryValues<LeadSource>("source");

    private static async Task<Results<Ok<PagedList<LeadResponse>>, ValidationProblem>> Handle(
        LeadsDbContext db, Caller caller, CancellationToken cancellationToken,
        string? status = null, string? owner = null, string? source = null, string? search = null,
        int? page = null, int? pageSize = null)
    {
        var validation = new Validation().MaxLength(search, 200, "search");
        var statusFilter = EnumQuery.Parse<LeadStatus>(status, "status", validation);
        var sourceFilter = EnumQuery.Parse<LeadSource>(source, "source", validation);
        var (pageNumber, size) = Paging.Read(page, pageSize, validation);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var query = db.Leads.AsQueryable();
        if (statusFilter is not null)
        {
            query = query.Where(l => l.Status == statusFilter);
        }
        owner = caller.OwnerFilter(owner);
        if (!string.IsNullOrWhiteSpace(owner))
        {
            query = query.Where(l => l.Owner == owner);
        }
        if (sourceFilter is not null)
        {
            query = query.Where(l => l.Source == sourceFilter);
        }
        // Each word of the search starts a word of the name, company or email, in any case and with or without accents.
        foreach (var (from, to) in SearchText.Words(search).Select(SearchText.PrefixRange))
        {
            query = query.Where(l => l.SearchWords.Any(w =>
                string.Compare(w.Word, from) >= 0 && string.Compare(w.Word, to) < 0));
        }

        var leads = await query.OrderByDescending(l => l.CapturedAt).ThenBy(l => l.ContactId)
            .ToPageAsync(pageNumber, size, LeadResponse.From, cancellationToken);
        return TypedResults.Ok(leads);
    }
}
