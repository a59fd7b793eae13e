using System.Text.Json;

namespace Funnel.Infrastructure.Domain;

/// <summary>An enum value as the API and the events spell it: lowercase kebab case (<c>awaiting-first-interaction</c>).</summary>
public static class WireNames
{
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum =>
        JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}
