using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Funnel.Testing;
using MassTransit;

namespace Funnel.Bench;

/// <summary>How long each measurement runs: the full figures, or a few seconds to show the tool works.</summary>
internal sealed record Durations(TimeSpan Latency, TimeSpan Throughput, TimeSpan Intake, int Hops, TimeSpan Funnel,
    TimeSpan Messaging, TimeSpan StageLoad, int HandOffs, int Workers)
{
    public static readonly Durations Full = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10),
        TimeSpan.FromSeconds(60), 300, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), 500, 32);

    public static readonly Durations Quick = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1),
        TimeSpan.FromSeconds(2), 10, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), 20, 8);
}

/// <summary>The measurements, each through the gateway as a front end would call it.</summary>
internal sealed class Scenarios(FunnelSystem system, Durations durations, CancellationToken cancellationToken)
{
    private static readonly string ValidUntil = DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd");
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private int _leads;
    private int _reads;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _failures = new();

    /// <summary>Contacts taken through the funnel at once.</summary>
    public int FunnelContacts => durations.Workers * 4;

    /// <summary>One salesperson per worker: the rate limit is per user, as many salespeople would share the gateway.</summary>
    private HttpClient[] Salespeople(string phase) =>
        Enumerable.Range(0, durations.Workers).Select(w => system.Gateway($"bench-{_run}-{phase}-{w}")).ToArray();

    /// <summary>1. The same GET through the gateway and straight to Leads: one caller for latency, many for throughput.</summary>
    public async Task<(LoadResult Gateway, LoadResult Direct, LoadResult GatewayMany, LoadResult DirectMany)> GatewayOverheadAsync()
    {
        var manager = system.Gateway("bench-manager", "manager");
        var id = await CaptureAsync(manager, "bench-manager");
        var path = $"/api/leads/{id}";
        async Task<LoadResult> Get(string phase, Func<int, HttpClient> client, int workers, TimeSpan duration) =>
            await Load.RunAsync(phase, workers, duration, async (w, _) =>
            {
                using var answer = await client(w).GetAsync(path, cancellationToken);
                await answer.Content.LoadIntoBufferAsync(cancellationToken);
                return answer.StatusCode == HttpStatusCode.OK;
            }, cancellationToken);

        var viaGateway = Enumerable.Range(0, durations.Workers).Select(w => system.Gateway($"bench-{_run}-get-{w}", "manager")).ToArray();
        var direct = Enumerable.Range(0, durations.Workers).Select(w => system.Service("leads", $"bench-{_run}-get-{w}")).ToArray();
        // Warm both paths (connections, JIT) before measuring.
        await Get("warm-up", w => w % 2 == 0 ? viaGateway[w] : direct[w], durations.Workers, TimeSpan.FromSeconds(1));
        var gateway1 = await Get("GET via gateway, 1 caller", w => viaGateway[w], 1, durations.Latency);
        var direct1 = await Get("GET direct, 1 caller", w => direct[w], 1, durations.Latency);
        var gatewayN = await Get($"GET via gateway, {durations.Workers} callers", w => viaGateway[w], durations.Workers, durations.Throughput);
        var directN = await Get($"GET direct, {durations.Workers} callers", w => direct[w], durations.Workers, durations.Throughput);
        return (gateway1, direct1, gatewayN, directN);
    }

    /// <summary>
    /// 0. The most any route can do here: the gateway forwarding, with its token and rate limit checks, a GET that
    /// Leads checks the token of and then answers 404 from its routing table, touching no database.
    /// </summary>
    public async Task<LoadResult> CeilingAsync()
    {
        var clients = Salespeople("ceiling");
        async Task<LoadResult> Forward(string phase, TimeSpan duration) =>
            await Load.RunAsync(phase, durations.Workers, duration, async (w, _) =>
            {
                using var answer = await clients[w].GetAsync("/api/leads/no-such-route/at-all", cancellationToken);
                await answer.Content.LoadIntoBufferAsync(cancellationToken);
                return answer.StatusCode == HttpStatusCode.NotFound;
            }, cancellationToken);
        await Forward("warm-up", TimeSpan.FromSeconds(1));
        return await Forward($"ceiling: trivial route, {durations.Workers} callers", durations.Throughput);
    }

    /// <summary>2. Leads captured per second through the gateway.</summary>
    public Task<LoadResult> IntakeAsync()
    {
        var clients = Salespeople("intake");
        return Load.RunAsync("intake: POST /api/leads", durations.Workers, durations.Intake, async (w, i) =>
        {
            using var answer = await clients[w].PostAsJsonAsync("/api/leads", Lead($"bench-{_run}-intake-{w}", i), cancellationToken);
            return answer.StatusCode == HttpStatusCode.Created;
        }, cancellationToken);
    }

    /// <summary>
    /// 3. From the 202 of a qualify to the case being readable in Qualification. The first hand-offs of a fresh system
    /// pay for JIT and EF Core's query compilation in both services: the very first is reported on its own, a few more
    /// warm up, and the rest are the figures.
    /// </summary>
    public async Task<(LoadResult Hops, double ColdMs)> HopLatencyAsync()
    {
        var user = $"bench-{_run}-hop";
        var client = system.Gateway(user);
        // The case is looked for in Qualification itself: this measures the hop, not the gateway (nor its rate limit).
        var qualification = system.Service("qualification", $"bench-{_run}-hop-watch");
        var warmUps = Math.Min(8, durations.Hops / 2);
        var ids = new List<string>();
        for (var i = 0; i < durations.Hops + warmUps; i++)
        {
            ids.Add(await CaptureAsync(client, user) ?? throw new InvalidOperationException("A lead could not be captured."));
        }

        async Task<double?> HopAsync(string id)
        {
            using var qualify = await PostPolitelyAsync(client, $"/api/leads/{id}/qualify");
            var accepted = Stopwatch.GetTimestamp();
            return qualify.StatusCode == HttpStatusCode.Accepted &&
                   await WaitForAsync(qualification, $"/api/qualification/{id}", TimeSpan.FromSeconds(30), pollMs: 1)
                ? Stopwatch.GetElapsedTime(accepted).TotalMilliseconds
                : null;
        }

        var cold = await HopAsync(ids[0]) ?? double.NaN;
        foreach (var id in ids.Skip(1).Take(warmUps - 1))
        {
            await HopAsync(id);
        }

        // A few at a time, so the polling itself does not load the stage it measures.
        var waiting = new System.Collections.Concurrent.ConcurrentQueue<string>(ids.Skip(warmUps));
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var errors = 0;
        var clock = Stopwatch.StartNew();
        using (Progress.Start("hop: qualify -> case visible", null, () => $"{latencies.Count:N0} of {durations.Hops:N0}"))
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
            {
                while (waiting.TryDequeue(out var id))
                {
                    if (await HopAsync(id) is { } latency)
                    {
                        latencies.Add(latency);
                    }
                    else
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
            }));
        }
        return (new LoadResult(latencies.Count, errors, clock.Elapsed, latencies.ToArray()), cold);
    }

    /// <summary>4. Contacts taken from lead to order through the gateway, and the broker's message rate meanwhile.</summary>
    public async Task<(LoadResult Funnel, double MessagesPerSecond, double ReadsPerContact)> FullFunnelAsync()
    {
        // Many contacts in flight, a few per salesperson: each contact spends most of its time waiting for hand-offs.
        var clients = Salespeople("funnel");
        var publishedBefore = await SettledPublishCountAsync();
        var readsBefore = Volatile.Read(ref _reads);
        var result = await Load.RunAsync("full funnel: lead -> order", FunnelContacts, durations.Funnel, async (w, _) =>
        {
            var client = clients[w % clients.Length];
            var id = await CaptureAsync(client, $"bench-{_run}-funnel-{w % clients.Length}");
            return id is not null && await WinAsync(client, id);
        }, cancellationToken);
        var reads = Volatile.Read(ref _reads) - readsBefore;
        var publishedAfter = await SettledPublishCountAsync();
        return (result, (publishedAfter - publishedBefore) / result.Elapsed.TotalSeconds, (double)reads / Math.Max(1, result.Ok));
    }

    /// <summary>5. A plain MassTransit publish-and-consume on the same broker: the ceiling for the funnel's messaging.</summary>
    public async Task<double> PlainMassTransitAsync()
    {
        var broker = new Uri(await system.BrokerConnectionStringAsync(cancellationToken));
        var consumed = 0L;
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(broker);
            rabbit.ReceiveEndpoint($"bench-plain-{_run}", endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Handler<PlainPing>(_ =>
                {
                    Interlocked.Increment(ref consumed);
                    return Task.CompletedTask;
                });
            });
        });
        await bus.StartAsync(cancellationToken);
        try
        {
            var published = await Load.RunAsync("plain MassTransit publish", durations.Workers, durations.Messaging, async (w, i) =>
            {
                await bus.Publish(new PlainPing(w, i), cancellationToken);
                return true;
            }, cancellationToken);
            var clock = Stopwatch.StartNew();
            while (Interlocked.Read(ref consumed) < published.Ok && clock.Elapsed < TimeSpan.FromMinutes(2))
            {
                await Task.Delay(10, cancellationToken);
            }
            // Publish and consume overlap; the rate is what went all the way through per second.
            return Interlocked.Read(ref consumed) / (published.Elapsed + clock.Elapsed).TotalSeconds;
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// 6. Load bound by Qualification: interactions logged on open cases, and a burst of hand-offs its consumers take
    /// in; then how many hand-offs took effect more than once (must be none).
    /// </summary>
    public async Task<(LoadResult Writes, double HandOffsPerSecond, int Duplicates)> QualificationLoadAsync()
    {
        var clients = Salespeople("stage");
        var cases = new string[durations.Workers];
        await Task.WhenAll(Enumerable.Range(0, durations.Workers).Select(async w =>
        {
            var id = await CaptureAsync(clients[w], $"bench-{_run}-stage-{w}")
                ?? throw new InvalidOperationException("A lead for the stage load could not be captured.");
            using var qualify = await PostPolitelyAsync(clients[w], $"/api/leads/{id}/qualify");
            if (!await WaitForAsync(clients[w], $"/api/qualification/{id}", TimeSpan.FromSeconds(60)))
            {
                throw new InvalidOperationException("A case for the stage load did not open.");
            }
            cases[w] = id;
        }));
        var writes = await Load.RunAsync("qualification: log interactions", durations.Workers, durations.StageLoad, async (w, i) =>
        {
            using var answer = await clients[w].PostAsJsonAsync($"/api/qualification/{cases[w]}/interactions",
                new { kind = "call", summary = $"Call {i}" }, cancellationToken);
            return answer.StatusCode == HttpStatusCode.Created;
        }, cancellationToken);

        // Hand-offs: many leads qualified at once; the stage's consumers compete for them.
        var owner = $"bench-{_run}-burst";
        var client = system.Gateway(owner);
        var ids = new List<string>();
        foreach (var batch in Enumerable.Range(0, durations.HandOffs).Chunk(durations.Workers))
        {
            ids.AddRange((await Task.WhenAll(batch.Select(_ => CaptureAsync(client, owner)))).OfType<string>());
        }
        var manager = system.Gateway("bench-manager", "manager");
        var clock = Stopwatch.StartNew();
        using (Progress.Start("qualification: hand-off burst", null, () => $"{ids.Count} leads"))
        {
            foreach (var batch in ids.Chunk(durations.Workers))
            {
                foreach (var answer in await Task.WhenAll(batch.Select(id => PostPolitelyAsync(client, $"/api/leads/{id}/qualify"))))
                {
                    using (answer)
                    {
                        if (answer.StatusCode != HttpStatusCode.Accepted)
                        {
                            throw new InvalidOperationException($"A qualify of the burst answered {(int)answer.StatusCode}.");
                        }
                    }
                }
            }
            while (await TotalAsync(manager, $"/api/qualification?owner={owner}&pageSize=1") < ids.Count &&
                   clock.Elapsed < TimeSpan.FromMinutes(3))
            {
                await Task.Delay(20, cancellationToken);
            }
        }
        var handOffsPerSecond = ids.Count / clock.Elapsed.TotalSeconds;

        // A hand-off that took effect twice would open its case twice: Pipeline would hold two opening checklists.
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var duplicates = 0;
        foreach (var id in ids)
        {
            var journey = await WaitForJourneyAsync(manager, id);
            var openings = journey?["events"]?.AsArray().Count(e =>
                e!["type"]!.GetValue<string>() == "ChecklistChanged" && e["stage"]!.GetValue<string>() == "qualified-lead") ?? 0;
            duplicates += openings > 1 ? 1 : 0;
        }
        return (writes, handOffsPerSecond, duplicates);
    }

    /// <summary>Where contacts of the full funnel failed: the step and what it answered, counted.</summary>
    public string FunnelFailures => string.Join(", ", _failures.OrderByDescending(f => f.Value).Select(f => $"{f.Key} x{f.Value}"));

    private async Task<bool> WinAsync(HttpClient client, string id)
    {
        var step = "qualify";
        bool Failed(string why)
        {
            _failures.AddOrUpdate($"{step} {why}", 1, (_, n) => n + 1);
            return false;
        }
        async Task<bool> Post(string name, string path, object? body, HttpStatusCode expected)
        {
            step = name;
            using var answer = await client.PostAsJsonAsync(path, body ?? new { }, cancellationToken);
            return answer.StatusCode == expected || Failed(((int)answer.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        async Task<bool> Arrives(string name, string path)
        {
            step = name;
            return await WaitForAsync(client, path, TimeSpan.FromSeconds(60)) || Failed("not there within 60 s");
        }

        try
        {
            if (!await Post("qualify", $"/api/leads/{id}/qualify", null, HttpStatusCode.Accepted) ||
                !await Arrives("case", $"/api/qualification/{id}") ||
                !await Post("interaction", $"/api/qualification/{id}/interactions", new { kind = "call", summary = "Intro call" }, HttpStatusCode.Created) ||
                !await Post("interest", $"/api/qualification/{id}/interest", new { interested = true }, HttpStatusCode.OK) ||
                !await Post("credit check", $"/api/qualification/{id}/credit-check",
                    new { requestedLimit = new { amount = 20000, currency = "EUR" } }, HttpStatusCode.OK) ||
                !await Post("promote", $"/api/qualification/{id}/promote", null, HttpStatusCode.Accepted) ||
                !await Arrives("opportunity", $"/api/quoting/{id}"))
            {
                return false;
            }
            step = "quote";
            using var created = await client.PostAsJsonAsync($"/api/quoting/{id}/quotes", new
            {
                currency = "EUR",
                validUntil = ValidUntil,
                lines = new[] { new { sku = "AE-1", description = "Difference engine", quantity = 2, unitPrice = 1234.50m, discountPercent = 10 } },
            }, cancellationToken);
            if (created.StatusCode != HttpStatusCode.Created)
            {
                return Failed(((int)created.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            var quote = (await created.Content.ReadFromJsonAsync<JsonNode>(cancellationToken))!["quoteId"]!.GetValue<string>();
            return await Post("send", $"/api/quoting/{id}/quotes/{quote}/send", null, HttpStatusCode.OK) &&
                   await Post("accept", $"/api/quoting/{id}/quotes/{quote}/accept", null, HttpStatusCode.Accepted) &&
                   await Arrives("customer", $"/api/customers/{id}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Failed(ex is TaskCanceledException ? "no answer within 30 s" : ex.GetType().Name);
        }
    }

    private object Lead(string owner, int i) => new
    {
        name = $"Bench Lead {i}",
        company = "Bench Ltd",
        email = $"{owner}.{i}.{Interlocked.Increment(ref _leads)}@bench.example",
        source = "web",
        owner,
    };

    private Task<HttpResponseMessage> PostPolitelyAsync(HttpClient client, string path) =>
        Polite.SendAsync(() => client.PostAsync(path, null, cancellationToken), cancellationToken);

    private async Task<string?> CaptureAsync(HttpClient client, string owner)
    {
        using var answer = await Polite.SendAsync(() =>
            client.PostAsJsonAsync("/api/leads", Lead(owner, 0), cancellationToken), cancellationToken);
        return answer.StatusCode == HttpStatusCode.Created
            ? (await answer.Content.ReadFromJsonAsync<JsonNode>(cancellationToken))!["contactId"]!.GetValue<string>()
            : null;
    }

    /// <summary>
    /// Reads <paramref name="path"/> until it answers 200, as a front end waits for a hand-off: every
    /// <paramref name="pollMs"/> at first, backing off to 100 ms, so that waiting contacts do not become the load.
    /// </summary>
    private async Task<bool> WaitForAsync(HttpClient client, string path, TimeSpan within, int pollMs = 10)
    {
        var clock = Stopwatch.StartNew();
        var pause = pollMs;
        while (clock.Elapsed < within)
        {
            Interlocked.Increment(ref _reads);
            using var answer = await client.GetAsync(path, cancellationToken);
            if (answer.StatusCode == HttpStatusCode.OK)
            {
                return true;
            }
            await Task.Delay(pause, cancellationToken);
            pause = pollMs == 1 ? 1 : Math.Min(pause * 2, 100);
        }
        return false;
    }

    private async Task<JsonNode?> WaitForJourneyAsync(HttpClient client, string id)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            using var answer = await client.GetAsync($"/api/pipeline/contacts/{id}", cancellationToken);
            if (answer.StatusCode == HttpStatusCode.OK &&
                await answer.Content.ReadFromJsonAsync<JsonNode>(cancellationToken) is { } journey &&
                journey["events"]!.AsArray().Any(e => e!["type"]!.GetValue<string>() == "ChecklistChanged"))
            {
                return journey;
            }
            await Task.Delay(100, cancellationToken);
        }
        return null;
    }

    private async Task<int> TotalAsync(HttpClient client, string path)
    {
        using var answer = await client.GetAsync(path, cancellationToken);
        return answer.IsSuccessStatusCode
            ? (await answer.Content.ReadFromJsonAsync<JsonNode>(cancellationToken))!["total"]!.GetValue<int>()
            : 0;
    }

    /// <summary>The broker's publish count once what is in flight has been consumed and its statistics refreshed.</summary>
    private async Task<long> SettledPublishCountAsync()
    {
        await system.SettleAsync(cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1.5), cancellationToken);
        return await system.BrokerPublishedAsync(cancellationToken);
    }
}

/// <summary>The plain MassTransit message of measurement 5.</summary>
public sealed record PlainPing(int Worker, int Number);
