using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Funnel.Infrastructure.Data;

/// <summary>Wakes the relay as soon as a unit of work with new events commits, instead of waiting for its next poll.</summary>
public sealed class OutboxSignal : SaveChangesInterceptor
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    // 1 while a wake-up is pending: only the commit that sets it releases the relay, so under load the other
    // commits neither release again nor throw SemaphoreFullException (which was 300 exceptions a second at intake).
    private int _pending;

    public override ValueTask<int> SavedChangesAsync(
        SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context?.ChangeTracker.Entries<OutboxMessage>().Any() == true &&
            Interlocked.Exchange(ref _pending, 1) == 0)
        {
            _wake.Release();
        }
        return ValueTask.FromResult(result);
    }

    /// <summary>
    /// True when woken by a commit, false after <paramref name="pollInterval"/>. A commit after the wake-up wakes the
    /// relay again, so none is missed between this and the relay's next read.
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        if (!await _wake.WaitAsync(pollInterval, cancellationToken))
        {
            return false;
        }
        Volatile.Write(ref _pending, 0);
        return true;
    }
}
