using System.Text.Json;
using Funnel.Contracts;

namespace Funnel.UnitTests;

/// <summary>
/// Events changed by adding fields stay readable both ways across a rolling deploy: messages of the old shape (still
/// in queues and outboxes) by the new consumers, and messages of the new shape by consumers not yet upgraded.
/// </summary>
public class ContractsTests
{
    /// <summary><c>LeadQualified</c> as it was before the per-contact sequence.</summary>
    private sealed record LeadQualifiedBeforeSequence(
        Guid EventId, Guid ContactId, DateTimeOffset OccurredAt, string Owner, IReadOnlyList<string> Unmet,
        string GateVersion, string Name, string? Company, string? Email, string? Phone);

    [Fact]
    public void An_event_of_the_old_shape_reads_as_the_new_with_no_sequence()
    {
        var old = new LeadQualifiedBeforeSequence(Guid.CreateVersion7(), Guid.CreateVersion7(), DateTimeOffset.UnixEpoch,
            "alice", [], "lead-1", "Ada", null, "ada@example.com", null);

        var read = JsonSerializer.Deserialize<LeadQualified>(JsonSerializer.Serialize(old, JsonSerializerOptions.Web),
            JsonSerializerOptions.Web)!;

        Assert.Equal((old.EventId, old.Owner, old.Name, 0L), (read.EventId, read.Owner, read.Name, read.Sequence));
    }

    [Fact]
    public void An_event_of_the_new_shape_reads_in_a_consumer_of_the_old()
    {
        var current = new LeadQualified(Guid.CreateVersion7(), Guid.CreateVersion7(), DateTimeOffset.UnixEpoch, "alice",
            [], "lead-1", "Ada", "Engines", null, "+4420", Sequence: 7);

        var read = JsonSerializer.Deserialize<LeadQualifiedBeforeSequence>(
            JsonSerializer.Serialize(current, JsonSerializerOptions.Web), JsonSerializerOptions.Web)!;

        Assert.Equal((current.EventId, current.Company, current.Phone), (read.EventId, read.Company, read.Phone));
    }
}
