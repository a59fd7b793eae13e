namespace Funnel.Leads.Domain;

/// <summary>A contact Orders has made a customer (from <c>OrderPlaced</c>): the only valid referrers.</summary>
public sealed class KnownCustomer
{
    public Guid ContactId { get; init; }
    public DateTimeOffset Since { get; init; }
}
