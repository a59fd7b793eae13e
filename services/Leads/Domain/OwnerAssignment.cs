namespace Funnel.Leads.Domain;

/// <summary>Leads without an explicit owner go round-robin to the configured salespeople.</summary>
public static class OwnerAssignment
{
    /// <param name="salespeople">Configured under <c>Leads:Salespeople</c>.</param>
    /// <param name="leadsSoFar">How many leads exist; the next salesperson in turn gets this one.</param>
    public static string? Assign(string? explicitOwner, IReadOnlyList<string> salespeople, int leadsSoFar) =>
        !string.IsNullOrWhiteSpace(explicitOwner) ? explicitOwner.Trim()
        : salespeople.Count == 0 ? null
        : salespeople[leadsSoFar % salespeople.Count];
}
