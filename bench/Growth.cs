using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Funnel.Contracts;
using Funnel.Testing;
using MassTransit;

namespace Funnel.Bench;

/// <summary>How far the growth part goes: the sizes, or small ones to show the tool works.</summary>
internal sealed record GrowthSizes(int Interactions, int Window, int LongContacts, int LongEvents, int ShortContacts,
    int ShortEvents, int SmallBook, int LargeBook, int ImportRows, int Reads)
{
    public static readonly GrowthSizes Full = new(1_000, 50, 10, 1_000, 1_000, 10, 1_000, 100_000, 10_000, 20);
    public static readonly GrowthSizes Quick = new(100, 10, 4, 100, 40, 10, 100, 2_000, 1_000, 5);
}

/// <summary>
/// The growth part: each figure a ratio of the same measure on a long history or a large book against a short or a
/// small one, in one run, so that a cost that grows with the data shows as a ratio above 1.
/// </summary>
internal sealed class Growth(FunnelSystem system, GrowthSizes sizes, CancellationToken cancellationToken)
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    /// <summary>One salesperson logs interactions on one case in sequence: the last window's median over the first's.</summary>
    public async Task<(double First, double Last)> InteractionsAsync()
    {
        var owner = $"growth-{_run}-case";
        var client = system.Gateway(owner);
        var id = await LeadAsync(client, owner, "Case");
        (await client.PostAsync($"/api/leads/{id}/qualify", null, cancellationToken)).EnsureSuccessStatusCode();
        while ((await client.GetAsync($"/api/qualification/{id}", cancellationToken)).StatusCode != HttpStatusCode.OK)
        {
            await Task.Delay(50, cancellationToken);
        }
        var latencies = new double[sizes.Interactions];
        using var progress = Progress.Start("growth: interactions on one case", null, () => "");
        for (var n = 0; n < sizes.Interactions; n++)
        {
            var clock = Stopwatch.StartNew();
            using var answer = await client.PostAsJsonAsync($"/api/qualification/{id}/interactions",
                new { kind = "call", summary = $"call {n}" }, cancellationToken);
            answer.EnsureSuccessStatusCode();
            latencies[n] = clock.Elapsed.TotalMilliseconds;
        }
        return (Median(latencies.Take(sizes.Window)), Median(latencies.TakeLast(sizes.Window)));
    }

    /// <summary>
    /// Pipeline's rate on contacts with many events against contacts with few: the same number of events published
    /// straight to the broker, each contact's in its order, and timed until Pipeline's queue is drained.
    /// </summary>
    public async Task<(double Short, double Long)> PipelineRatesAsync()
    {
        var broker = new Uri(await system.BrokerConnectionStringAsync(cancellationToken));
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(broker));
        await bus.StartAsync(cancellationToken);
        try
        {
            var few = await PublishAndDrainAsync(bus, sizes.ShortContacts, sizes.ShortEvents);
            var many = await PublishAndDrainAsync(bus, sizes.LongContacts, sizes.LongEvents);
            return (few, many);
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }

    private async Task<double> PublishAndDrainAsync(IBus bus, int contacts, int events)
    {
        await system.SettleAsync(cancellationToken);
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        var clock = Stopwatch.StartNew();
        using (Progress.Start($"growth: {contacts} contacts x {events} events to Pipeline", null, () => ""))
        {
            await Task.WhenAll(Enumerable.Range(0, contacts).Select(c => Task.Run(async () =>
            {
                var contact = Guid.CreateVersion7();
                var owner = $"growth-{_run}-events";
                await bus.Publish(new LeadCaptured(Guid.CreateVersion7(), contact, start, owner, [], $"Events {c}", null,
                    "web", 1), cancellationToken);
                for (var n = 2; n <= events; n++)
                {
                    await bus.Publish(new ChecklistChanged(Guid.CreateVersion7(), contact, start.AddSeconds(n), owner,
                        ["owner-assigned"], Stages.Lead, n), cancellationToken);
                }
            }, cancellationToken)));
        }
        var published = clock.Elapsed;
        // Up to when the queue was last seen holding events, not the quiet time that confirms it empty.
        var drained = await system.SettleAsync(cancellationToken);
        return contacts * events / (published + drained).TotalSeconds;
    }

    /// <summary>Seeds the manager's book up to <paramref name="contacts"/> through the asynchronous import.</summary>
    public async Task<TimeSpan> SeedAsync(int contacts, int already)
    {
        var manager = system.Gateway($"growth-{_run}-manager", "manager");
        var clock = Stopwatch.StartNew();
        for (var first = already; first < contacts; first += sizes.ImportRows)
        {
            var rows = Math.Min(sizes.ImportRows, contacts - first);
            var csv = new StringBuilder("name,company,email,phone,source,owner\n");
            for (var r = first; r < first + rows; r++)
            {
                csv.Append(FormattableString.Invariant($"Contact {r},Co {r % 500},c{r}.{_run}@growth.example,,import,growth-{_run}-{r % 20}\n"));
            }
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/leads/import")
            {
                Content = new StringContent(csv.ToString(), new MediaTypeHeaderValue("text/csv")),
            };
            request.Headers.Add("Prefer", "respond-async");
            using var answer = await manager.SendAsync(request, cancellationToken);
            answer.EnsureSuccessStatusCode();
            var location = answer.Headers.Location!;
            using var progress = Progress.Start($"growth: import rows {first:N0}-{first + rows:N0}", null, () => "");
            while ((await manager.GetFromJsonAsync<JsonNode>(location, cancellationToken))!["status"]!.GetValue<string>() == "running")
            {
                await Task.Delay(500, cancellationToken);
            }
        }
        await system.SettleAsync(cancellationToken);
        return clock.Elapsed;
    }

    /// <summary>The reports' p50 as a manager, and Pipeline's resident memory before and at most during the reads.</summary>
    public async Task<(double Funnel, double Board, double Stale, double IdleMb, double PeakMb)> ReportsAsync()
    {
        var manager = system.Gateway($"growth-{_run}-manager", "manager");
        var idle = PipelineMb();
        var peak = idle;
        async Task<double> P50(string path)
        {
            var latencies = new List<double>();
            for (var n = 0; n < sizes.Reads; n++)
            {
                var clock = Stopwatch.StartNew();
                using var answer = await manager.GetAsync(path, cancellationToken);
                await answer.Content.LoadIntoBufferAsync(cancellationToken);
                answer.EnsureSuccessStatusCode();
                latencies.Add(clock.Elapsed.TotalMilliseconds);
                peak = Math.Max(peak, PipelineMb());
            }
            return Median(latencies);
        }
        using var progress = Progress.Start("growth: reports", null, () => "");
        return (await P50("/api/pipeline/funnel"), await P50("/api/pipeline/board"),
            await P50("/api/pipeline/stale?asOf=2100-01-01T00:00:00Z"), idle, peak);
    }

    private double PipelineMb() =>
        system.ResidentBytes().TryGetValue("pipeline", out var bytes) ? bytes.Sum() / 1024.0 / 1024.0 : double.NaN;

    private async Task<string> LeadAsync(HttpClient client, string owner, string name)
    {
        using var answer = await client.PostAsJsonAsync("/api/leads",
            new { name, email = $"{owner}@growth.example", source = "web", owner }, cancellationToken);
        answer.EnsureSuccessStatusCode();
        return (await answer.Content.ReadFromJsonAsync<JsonNode>(cancellationToken))!["contactId"]!.GetValue<string>();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
