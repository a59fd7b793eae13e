using Funnel.Qualification.Domain;
using Microsoft.EntityFrameworkCore;

namespace Funnel.Qualification.Data;

/// <summary>The few latest interactions a case is shown with, read by index however many the case has.</summary>
public static class LatestInteractions
{
    public static async Task<List<Interaction>> LatestAsync(this DbSet<Interaction> interactions, Guid contactId,
        int count, CancellationToken cancellationToken) =>
        await interactions.AsNoTracking().Where(i => i.ContactId == contactId)
            .OrderByDescending(i => i.OccurredAt).ThenByDescending(i => i.Id).Take(count).ToListAsync(cancellationToken);

    /// <summary>The latest of each of <paramref name="contactIds"/>, in one query (a page of cases).</summary>
    public static async Task<ILookup<Guid, Interaction>> LatestAsync(this DbSet<Interaction> interactions,
        IReadOnlyCollection<Guid> contactIds, int count, CancellationToken cancellationToken) =>
        (await interactions.AsNoTracking().Where(i => contactIds.Contains(i.ContactId))
            .GroupBy(i => i.ContactId)
            .SelectMany(g => g.OrderByDescending(i => i.OccurredAt).ThenByDescending(i => i.Id).Take(count))
            .ToListAsync(cancellationToken)).ToLookup(i => i.ContactId);
}
