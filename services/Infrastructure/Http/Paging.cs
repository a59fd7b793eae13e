using Microsoft.EntityFrameworkCore;

namespace Funnel.Infrastructure.Http;

/// <summary>A page of a list (API.md: <c>page</c>, <c>pageSize</c>, <c>total</c>).</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

public static class Paging
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 200;

    /// <summary>The last page a list may ask for: (page - 1) * pageSize stays far inside an int.</summary>
    public const int MaxPage = 1_000_000;

    /// <summary>Adds the errors of a bad <c>page</c> or <c>pageSize</c> and returns the values to use.</summary>
    public static (int Page, int PageSize) Read(int? page, int? pageSize, Validation validation)
    {
        validation.Check(page is null or (>= 1 and <= MaxPage), "page", $"'page' must be between 1 and {MaxPage}.");
        validation.Check(pageSize is null or >= 1 and <= MaxPageSize, "pageSize",
            $"'pageSize' must be between 1 and {MaxPageSize}.");
        return (page ?? 1, pageSize ?? DefaultPageSize);
    }

    public static async Task<PagedList<TOut>> ToPageAsync<TIn, TOut>(this IQueryable<TIn> query, int page, int pageSize,
        Func<TIn, TOut> map, CancellationToken cancellationToken)
    {
        var total = await query.CountAsync(cancellationToken);
        var items = await query.Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new PagedList<TOut>(items.Select(map).ToList(), page, pageSize, total);
    }
}
