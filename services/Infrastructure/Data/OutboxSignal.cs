using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Funnel.Infrastructure.Data;

/// <summary>Wakes the relay as soon as a unit of work with new events commits, instead of waiting for its next poll.</summary>
public sealed class OutboxSignal : SaveChangesInterceptor
{
    private readonly SemaphoreSlim _pending = new(0, 1);

    public override ValueTask<int> SavedChangesAsync(
        SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context?.ChangeTracker.Entries<OutboxMessage>().Any() == true)
        {
            Notify();
        }
        return ValueTask.FromResult(result);
    }

    private void Notify()
    {
        try
        {
            _pending.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake-up is already pending; one is enough.
        }
    }

    public Task<bool> WaitAsync(TimeSpan pollInterval, CancellationToken cancellationToken) =>
        _pending.WaitAsync(pollInterval, cancellationToken);
}
