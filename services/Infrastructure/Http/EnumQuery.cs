using Funnel.Infrastructure.Domain;

namespace Funnel.Infrastructure.Http;

/// <summary>Query-string enums in the same lowercase form as the JSON bodies (<c>awaiting-first-interaction</c>).</summary>
public static class EnumQuery
{
    public static TEnum? Parse<TEnum>(string? value, string field, Validation validation) where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (WireNames.Of(candidate) == value.Trim())
            {
                return candidate;
            }
        }
        validation.Add(field, $"'{field}' must be one of: {string.Join(", ", Enum.GetValues<TEnum>().Select(WireNames.Of))}.");
        return null;
    }
}
