namespace Funnel.Infrastructure.Data;

/// <summary>A write sent with an <c>Idempotency-Key</c>, and the answer it got, so a retry gets the same answer.</summary>
public sealed class IdempotentRequest
{
    /// <summary>The user who sent it: keys are per user.</summary>
    public required string Caller { get; init; }

    public required string Key { get; init; }

    /// <summary>SHA-256 of method, path and body: the same key with another request is refused.</summary>
    public required string RequestHash { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Null until the answer is stored (in progress, or the answer was lost in a crash).</summary>
    public int? StatusCode { get; set; }

    public string? ContentType { get; set; }
    public string? Location { get; set; }
    public string? ETag { get; set; }
    public byte[]? Body { get; set; }

    /// <summary>The contact the answer is about, if any: an erasure of the contact deletes the stored answer.</summary>
    public Guid? ContactId { get; set; }
}
