namespace Funnel.Qualification.Domain;

/// <summary>The company's credit policy (section <c>CreditPolicy</c>): an unsecured limit per currency.</summary>
public sealed class CreditPolicyOptions
{
    public string Version { get; set; } = "";

    /// <summary>Currency code to the largest limit granted without security, in major units.</summary>
    public Dictionary<string, decimal> UnsecuredLimits { get; set; } = [];
}

/// <summary>The outcome of a credit check, kept on the case as evidence.</summary>
public sealed record CreditCheck(
    string Currency, long RequestedMinor, bool Approved, long ApprovedMinor, string Reason, string PolicyVersion,
    DateTimeOffset CheckedAt, string CheckedBy);

public static class CreditPolicy
{
    public static CreditCheck Check(CreditPolicyOptions policy, string currency, long requestedMinor,
        DateTimeOffset at, string by)
    {
        if (!policy.UnsecuredLimits.TryGetValue(currency, out var limit))
        {
            return new CreditCheck(currency, requestedMinor, false, 0,
                $"The credit policy {policy.Version} grants no credit in {currency}.", policy.Version, at, by);
        }
        var limitMinor = (long)(limit * 100m);
        return requestedMinor <= limitMinor
            ? new CreditCheck(currency, requestedMinor, true, requestedMinor,
                $"{Format(requestedMinor)} {currency} is within the unsecured limit of {Format(limitMinor)} {currency} " +
                $"(policy {policy.Version}).", policy.Version, at, by)
            : new CreditCheck(currency, requestedMinor, false, 0,
                $"{Format(requestedMinor)} {currency} is above the unsecured limit of {Format(limitMinor)} {currency} " +
                $"(policy {policy.Version}).", policy.Version, at, by);
    }

    private static string Format(long minor) =>
        (minor / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
}
