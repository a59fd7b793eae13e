namespace Funnel.Infrastructure.Data;

/// <summary>A message a consumer has handled, stored in the same transaction as its effect.</summary>
public sealed class ProcessedMessage
{
    public required string Consumer { get; set; }
    public Guid EventId { get; set; }
    public DateTimeOffset ProcessedAt { get; set; }
}
