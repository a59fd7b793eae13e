using System.Text.Json;

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
            if (Name(candidate) == value.Trim())
            {
                return candidate;
            }
        }
        validation.Add(field, $"'{field}' must be one of: {string.Join(", ", Enum.GetValues<TEnum>().Select(Name))}.");
        return null;
    }

    public static string Name<TEnum>(TEnum value) where TEnum : struct, Enum =>
        JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}
