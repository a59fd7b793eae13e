namespace Funnel.Infrastructure.Data;

/// <summary>
/// A contact whose personal data this service erased. Kept (it holds no personal data) so that a message about the
/// contact that arrives later, from a queue or a replay, is stored erased too.
/// </summary>
public sealed class ErasedContact
{
    public Guid ContactId { get; init; }
    public DateTimeOffset ErasedAt { get; init; }
}
