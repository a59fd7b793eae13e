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

    /// <summary>The latest of each case of <paramref name="contactIds"/>, in one query (a page of cases).</summary>
    public static async Task<ILookup<Guid, Interaction>> LatestInteractionsAsync(this QualificationDbContext db,
        IReadOnlyCollection<Guid> contactIds, int count, CancellationToken cancellationToken) =>
        (await db.Cases.AsNoTracking().Where(c => contactIds.Contains(c.ContactId))
            .Select(c => db.Interactions.Where(i => i.ContactId == c.ContactId)
                .OrderByDescending(i => i.OccurredAt).ThenByDescending(i => i.Id).Take(count).ToList())
            .ToListAsync(cancellationToken)).SelectMany(latest => latest).ToLookup(i => i.ContactId);
}
