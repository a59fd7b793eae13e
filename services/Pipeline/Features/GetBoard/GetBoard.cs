using Funnel.Contracts;
using Funnel.Infrastructure.Http;
using Funnel.Pipeline.Data;
using Funnel.Pipeline.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Funnel.Pipeline.Features.GetBoard;

public sealed record BoardCard(
    Guid ContactId, string? Name, string? Company, string Owner, JourneyStatus Status, DateTimeOffset StageEnteredAt,
    DateTimeOffset LastActivityAt, IReadOnlyList<string> Next, int? PercentComplete, MoneyDto? OpenQuote);

public sealed record BoardColumn(string Stage, int Count, IReadOnlyList<MoneyDto> OpenValue, IReadOnlyList<BoardCard> Contacts);

public sealed record BoardResponse(string? Owner, IReadOnlyList<BoardColumn> Stages);

/// <summary>
/// <c>GET /api/pipeline/board</c>: the contacts in the funnel (open ones, and customers) by stage, each stage with its
/// count, its open quote value per currency, and its most recently active contacts (<c>limit</c> per stage).
/// </summary>
public static class GetBoardEndpoint
{
    public static void MapGetBoard(this IEndpointRouteBuilder app) =>
        app.MapGet("/board", Handle).WithName("GetBoard")
            .WithSummary("Contacts grouped by stage with counts and open value; filter by owner.");

    private static async Task<Results<Ok<BoardResponse>, ValidationProblem>> Handle(
        PipelineDbContext db, Caller caller, CancellationToken cancellationToken, string? owner = null,
        int? limit = null)
    {
        owner = caller.OwnerFilter(owner);
        var validation = new Validation().Check(limit is null or (>= 0 and <= 200), "limit", "'limit' must be between 0 and 200.");
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var onBoard = db.Journeys.Where(j => j.Status != JourneyStatus.Lost);
        if (!string.IsNullOrWhiteSpace(owner))
        {
            onBoard = onBoard.Where(j => j.Owner == owner);
        }

        // The counts and open values from the maintained per-owner counts: a few rows per stage however many contacts.
        var counted = string.IsNullOrWhiteSpace(owner) ? db.BoardCounts : db.BoardCounts.Where(b => b.Owner == owner);
        var sums = await counted.GroupBy(b => new { b.Stage, b.Currency })
            .Select(g => new { g.Key.Stage, g.Key.Currency, Contacts = g.Sum(b => b.Contacts), Open = g.Sum(b => b.OpenMinor) })
            .ToListAsync(cancellationToken);

        var columns = new List<BoardColumn>();
        foreach (var stage in Stages.InOrder)
        {
            var cards = await onBoard.Where(j => j.Stage == stage).OrderByDescending(j => j.LastActivityAt)
                .Take(limit ?? 50).ToListAsync(cancellationToken);
            columns.Add(new BoardColumn(stage, sums.Where(s => s.Stage == stage).Sum(s => s.Contacts),
                sums.Where(s => s.Stage == stage && s.Currency != "" && s.Contacts > 0)
                    .OrderBy(s => s.Currency, StringComparer.Ordinal).Select(s => MoneyDto.From(s.Open, s.Currency)).ToList(),
                cards.Select(row => row.Journey).Select(j => new BoardCard(j.ContactId, j.Name, j.Company, j.Owner,
                    j.Status, j.StageEnteredAt, j.LastActivityAt, j.Next, j.PercentComplete,
                    JourneyResponse.Dto(j.OpenQuote))).ToList()));
        }
        return TypedResults.Ok(new BoardResponse(owner, columns));
    }
}
