namespace Funnel.Leads.Domain;

/// <summary>
/// A manager's request to erase a contact's personal data, and each service's progress on it. Leads keeps it because
/// every contact starts here; it holds no personal data itself.
/// </summary>
public sealed class Erasure
{
    /// <summary>Every service that holds data about contacts, each of which confirms its part.</summary>
    public static readonly IReadOnlyList<string> Services = ["leads", "qualification", "quoting", "orders", "pipeline"];

    public Guid ContactId { get; init; }
    public required string RequestedBy { get; init; }
    public DateTimeOffset RequestedAt { get; init; }
    public List<ErasureStep> Steps { get; init; } = [];

    public bool Done => Steps.All(step => step.DoneAt is not null);

    public static Erasure Request(Guid contactId, string by, DateTimeOffset at) => new()
    {
        ContactId = contactId,
        RequestedBy = by,
        RequestedAt = at,
        Steps = Services.Select(service => new ErasureStep { Service = service }).ToList(),
    };

    /// <summary>A service confirmed its part; a second confirmation keeps the first time.</summary>
    public void Confirm(string service, DateTimeOffset at)
    {
        if (Steps.FirstOrDefault(step => step.Service == service) is { DoneAt: null } step)
        {
            step.DoneAt = at;
        }
    }
}

public sealed class ErasureStep
{
    public required string Service { get; init; }
    public DateTimeOffset? DoneAt { get; set; }
}
