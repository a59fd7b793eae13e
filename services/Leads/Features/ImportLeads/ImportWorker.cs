using Funnel.Leads.Data;
using Funnel.Leads.Domain;
using Microsoft.EntityFrameworkCore;

namespace Funnel.Leads.Features.ImportLeads;

/// <summary>Wakes the worker when an import is handed to it, instead of at its next look.</summary>
public sealed class ImportSignal
{
    private readonly SemaphoreSlim _pending = new(0, 1);

    public void Notify()
    {
        if (_pending.CurrentCount == 0)
        {
            try
            {
                _pending.Release();
            }
            catch (SemaphoreFullException)
            {
                // A wake-up is already pending.
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _pending.WaitAsync(timeout, cancellationToken);
}

/// <summary>
/// Takes up the imports answered with 202, and any whose worker died (its lease lapsed): claims one with a conditional
/// update, so each runs on one replica at a time, and works it through.
/// </summary>
public sealed class ImportWorker(IServiceScopeFactory scopes, ImportSignal signal, TimeProvider time,
    ILogger<ImportWorker> logger) : BackgroundService
{
    private static readonly TimeSpan LookEvery = TimeSpan.FromSeconds(2);
    private readonly string _worker = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await TakeUpOneAsync(stoppingToken))
                {
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "The import worker failed; it looks again in {Every}", LookEvery);
            }
            await signal.WaitAsync(LookEvery, stoppingToken);
        }
    }

    private async Task<bool> TakeUpOneAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadsDbContext>();
        var now = time.GetUtcNow();
        var candidate = await db.Imports
            .Where(i => i.Status == ImportStatus.Running && (i.ClaimedUntil == null || i.ClaimedUntil < now))
            .OrderBy(i => i.CreatedAt).Select(i => (Guid?)i.ImportId).FirstOrDefaultAsync(cancellationToken);
        if (candidate is not { } importId)
        {
            return false;
        }
        var claimed = await db.Imports
            .Where(i => i.ImportId == importId && i.Status == ImportStatus.Running &&
                        (i.ClaimedUntil == null || i.ClaimedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ClaimedBy, _worker)
                .SetProperty(i => i.ClaimedUntil, now + ImportJob.Lease), cancellationToken);
        if (claimed == 1)
        {
            logger.LogInformation("Import {ImportId} taken up", importId);
            await scope.ServiceProvider.GetRequiredService<ImportJob>().RunAsync(importId, _worker, null, cancellationToken);
        }
        return true;
    }
}
