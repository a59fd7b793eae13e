using System.Text.Json;
using Funnel.Contracts;

namespace Funnel.Infrastructure.Data;

/// <summary>An event written with the state change that caused it, waiting for the relay to publish it.</summary>
public sealed class OutboxMessage
{
    /// <summary>Publishing order within the service.</summary>
    public long Sequence { get; set; }

    public Guid EventId { get; set; }

    /// <summary>The contract's full type name: MassTransit routes by it.</summary>
    public required string Type { get; set; }

    public required string Payload { get; set; }

    /// <summary>The W3C trace of the request that wrote the event, so the publish joins that trace.</summary>
    public string? TraceParent { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>A relay instance holds the row until then; after it the claim lapses (that relay crashed).</summary>
    public string? ClaimedBy { get; set; }

    public DateTimeOffset? ClaimedUntil { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public static OutboxMessage For(IContactEvent stageEvent, string? traceParent) => new()
    {
        EventId = stageEvent.EventId,
        Type = stageEvent.GetType().FullName!,
        Payload = JsonSerializer.Serialize(stageEvent, stageEvent.GetType(), JsonSerializerOptions.Web),
        TraceParent = traceParent,
        CreatedAt = stageEvent.OccurredAt,
    };

    public object Deserialize()
    {
        var type = typeof(IStageEvent).Assembly.GetType(Type)
            ?? throw new InvalidOperationException($"Outbox row {Sequence} names unknown contract '{Type}'.");
        return JsonSerializer.Deserialize(Payload, type, JsonSerializerOptions.Web)!;
    }
}
