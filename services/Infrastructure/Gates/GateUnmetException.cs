namespace Funnel.Infrastructure.Gates;

/// <summary>A stage move refused by the gate in force; the API answers 409 with the unmet tasks and the gate version.</summary>
public sealed class GateUnmetException(string detail, IReadOnlyList<string> unmet, string gateVersion)
    : Exception(detail)
{
    public IReadOnlyList<string> Unmet { get; } = unmet;
    public string GateVersion { get; } = gateVersion;
}
