using System.Collections.Concurrent;
using Aspire.Hosting.Testing;
using Funnel.Infrastructure.Messaging;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Funnel.EndToEndTests;

/// <summary>
/// Redelivery over minutes, held by the real broker: a consumer that fails for 30 s (longer than all its immediate
/// retries) gets every message again later, and nothing lands in its _error queue.
/// </summary>
public class RedeliveryTests(FunnelApp funnel)
{
    private const int Messages = 20;

    [Fact(Timeout = 240_000)]
    public async Task A_consumer_failing_for_30_seconds_gets_its_messages_redelivered_and_loses_none()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:messaging"] = await funnel.App.GetConnectionStringAsync("messaging", Api.Cancel);
        var service = Api.Unique("redelivery");
        var flaky = new Flakiness(TimeSpan.FromSeconds(30));
        builder.Services.AddSingleton(flaky);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddStageMessaging(service, consumers => consumers.Add<FlakyConsumer>());
        using var host = builder.Build();
        await host.StartAsync(Api.Cancel);
        try
        {
            var queues = host.Services.GetRequiredService<QueueConsumers>();
            var queue = host.Services.GetRequiredService<StageConsumers>().Endpoints.Single().Queue;
            while (await queues.CountAsync(queue, Api.Cancel) is null or 0)
            {
                await Task.Delay(200, Api.Cancel);
            }

            flaky.Start();
            var bus = host.Services.GetRequiredService<IBus>();
            var ids = Enumerable.Range(0, Messages).Select(_ => Guid.NewGuid()).ToList();
            foreach (var id in ids)
            {
                await bus.Publish(new RedeliveryProbe(id, service), Api.Cancel);
            }
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (flaky.Handled.Count < Messages && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500, Api.Cancel);
            }
            await Task.Delay(TimeSpan.FromSeconds(2), Api.Cancel); // a second delivery would land now
            var inError = await queues.DepthAsync($"{queue}_error", Api.Cancel) ?? 0;

            Figures.Print("redelivery", ("messages", Messages), ("failed attempts", flaky.Failures),
                ("handled", flaky.Handled.Count), ("handled after a redelivery", flaky.Handled.Values.Count(r => r > 0)),
                ("most redeliveries", flaky.Handled.Values.DefaultIfEmpty().Max()), ("in _error", inError));
            Assert.Equal(ids.Order(), flaky.Handled.Keys.Order());
            Assert.Equal(Messages, flaky.Attempts.Count(a => a.Value.Succeeded));
            Assert.All(flaky.Handled.Values, redeliveries => Assert.True(redeliveries > 0));
            Assert.Equal(0u, inError);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}

public sealed record RedeliveryProbe(Guid Id, string Run);

/// <summary>The outage: every attempt fails until <c>failFor</c> has passed since <see cref="Start"/>.</summary>
public sealed class Flakiness(TimeSpan failFor)
{
    private DateTime _until = DateTime.MaxValue;
    private int _failures;

    public ConcurrentDictionary<Guid, int> Handled { get; } = new();
    public ConcurrentDictionary<Guid, (bool Succeeded, int Count)> Attempts { get; } = new();
    public int Failures => _failures;

    public void Start() => _until = DateTime.UtcNow + failFor;

    public void Attempt(Guid id, int redeliveries)
    {
        if (DateTime.UtcNow < _until)
        {
            Interlocked.Increment(ref _failures);
            Attempts.AddOrUpdate(id, (false, 1), (_, a) => (false, a.Count + 1));
            throw new InvalidOperationException("The probe's database is down.");
        }
        Attempts.AddOrUpdate(id, (true, 1), (_, a) => (true, a.Count + 1));
        if (!Handled.TryAdd(id, redeliveries))
        {
            throw new InvalidOperationException($"Probe {id} was handled twice.");
        }
    }
}

public sealed class FlakyConsumer(Flakiness flakiness) : IConsumer<RedeliveryProbe>
{
    public Task Consume(ConsumeContext<RedeliveryProbe> context)
    {
        var redeliveries = context.ReceiveContext.TransportHeaders.TryGetHeader(Redelivery.CountHeader, out var count)
            ? Convert.ToInt32(count, System.Globalization.CultureInfo.InvariantCulture)
            : 0;
        flakiness.Attempt(context.Message.Id, redeliveries);
        return Task.CompletedTask;
    }
}
