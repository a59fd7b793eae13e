using Funnel.Leads.Domain;
using Microsoft.EntityFrameworkCore;

namespace Funnel.Leads.Data;

public static class SearchIndexBackfill
{
    /// <summary>
    /// Gives the leads stored before search had its own words their words, once, in batches (a lead whose details
    /// hold no letter or digit has none and is passed over).
    /// </summary>
    public static async Task IndexLeadsForSearchAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadsDbContext>();
        var stopping = app.Lifetime.ApplicationStopping;
        var unindexed = await db.Leads.Where(l => !l.SearchWords.Any()).Select(l => l.ContactId).ToListAsync(stopping);
        foreach (var chunk in unindexed.Chunk(500))
        {
            var leads = await db.Leads.Where(l => chunk.Contains(l.ContactId)).ToListAsync(stopping);
            leads.ForEach(l => l.IndexForSearch());
            await db.SaveChangesAsync(stopping);
            db.ChangeTracker.Clear();
        }
    }
}
