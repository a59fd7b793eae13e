using System.Diagnostics;

namespace Funnel.Bench;

/// <summary>What a closed-loop load measured: how many operations, how many failed, and each one's latency.</summary>
internal sealed record LoadResult(int Ok, int Errors, TimeSpan Elapsed, double[] LatenciesMs)
{
    public double PerSecond => Ok / Elapsed.TotalSeconds;
    public double P50 => Percentile(0.50);
    public double P99 => Percentile(0.99);

    private double[]? _sorted;

    public double Percentile(double p)
    {
        if (LatenciesMs.Length == 0)
        {
            return double.NaN;
        }
        var sorted = _sorted ??= LatenciesMs.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}

/// <summary>
/// Runs <c>workers</c> loops that each repeat an operation until the time is up (a closed loop: a worker sends its next
/// request when its last one is answered), and shows progress while it runs.
/// </summary>
internal static class Load
{
    /// <param name="operation">One operation by worker <c>w</c>, iteration <c>i</c>; true when it succeeded.</param>
    public static async Task<LoadResult> RunAsync(string phase, int workers, TimeSpan duration,
        Func<int, int, Task<bool>> operation, CancellationToken cancellationToken)
    {
        var latencies = new List<double>[workers];
        var ok = 0;
        var errors = 0;
        var clock = Stopwatch.StartNew();
        using var progress = Progress.Start(phase, duration, () => $"{ok:N0} ok, {errors:N0} errors");
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = [];
            for (var i = 0; clock.Elapsed < duration && !cancellationToken.IsCancellationRequested; i++)
            {
                var started = Stopwatch.GetTimestamp();
                bool succeeded;
                try
                {
                    succeeded = await operation(w, i);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
                {
                    succeeded = false;
                }
                if (succeeded)
                {
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    Interlocked.Increment(ref ok);
                }
                else
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }, cancellationToken)));
        return new LoadResult(ok, errors, clock.Elapsed, latencies.SelectMany(l => l).ToArray());
    }
}

/// <summary>A one-line progress display: redrawn in place on a terminal, a line every 5 s in a log.</summary>
internal sealed class Progress : IDisposable
{
    private readonly string _phase;
    private readonly TimeSpan? _duration;
    private readonly Func<string> _status;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Timer _timer;

    private Progress(string phase, TimeSpan? duration, Func<string> status)
    {
        _phase = phase;
        _duration = duration;
        _status = status;
        var every = Console.IsOutputRedirected ? TimeSpan.FromSeconds(5) : TimeSpan.FromMilliseconds(250);
        _timer = new Timer(_ => Draw(final: false), null, every, every);
    }

    public static Progress Start(string phase, TimeSpan? duration, Func<string> status) => new(phase, duration, status);

    private void Draw(bool final)
    {
        var elapsed = _duration is { } total
            ? $"{Math.Min(_clock.Elapsed.TotalSeconds, total.TotalSeconds),5:0.0}/{total.TotalSeconds:0} s"
            : $"{_clock.Elapsed.TotalSeconds,5:0.0} s";
        var line = $"  {_phase,-34} {elapsed}  {_status()}";
        if (Console.IsOutputRedirected)
        {
            Console.WriteLine(line);
        }
        else
        {
            Console.Write($"\r{line,-110}{(final ? "\n" : "")}");
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        Draw(final: true);
    }
}
