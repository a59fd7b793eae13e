using Funnel.Contracts;
using Funnel.Infrastructure.Http;
using Funnel.Pipeline.Data;
using Funnel.Pipeline.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Funnel.Pipeline.Features.ListJourneyEvents;

/// <summary>
/// <c>GET /api/pipeline/contacts/{contactId}/events</c>: every event of the contact's journey in the journey's order,
/// a page at a time (the journey itself carries the latest few).
/// </summary>
public static class ListJourneyEventsEndpoint
{
    public static void MapListJourneyEvents(this IEndpointRouteBuilder app) =>
        app.MapGet("/contacts/{contactId:guid}/events", Handle).WithName("ListJourneyEvents")
            .WithSummary("Page through the events of a contact's journey, in the journey's order.");

    private static async Task<Results<Ok<PagedList<JourneyEvent>>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid contactId, PipelineDbContext db, Caller caller, CancellationToken cancellationToken, int? page = null,
        int? pageSize = null)
    {
        var validation = new Validation();
        var (pageNumber, size) = Paging.Read(page, pageSize, validation);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var (row, refusal) = await db.Journeys.FindOwnedAsync(contactId, "contact", caller, cancellationToken);
        if (row is null)
        {
            return refusal!;
        }
        // The journey's count is the total: no count query over a long history.
        var events = await db.Events.AsNoTracking()
            .Where(e => e.ContactId == contactId && e.Type != nameof(ContactReassigned))
            .OrderBy(e => e.Step).ThenBy(e => e.Sequence).ThenBy(e => e.OccurredAt).ThenBy(e => e.EventId)
            .Skip((pageNumber - 1) * size).Take(size)
            .Select(e => new JourneyEvent(e.EventId, e.Type, e.Stage, e.OccurredAt, e.TraceId))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PagedList<JourneyEvent>(events, pageNumber, size, row.Journey.EventCount));
    }
}
