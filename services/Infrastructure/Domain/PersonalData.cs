using System.Text.Json;
using System.Text.Json.Nodes;

namespace Funnel.Infrastructure.Domain;

/// <summary>A record that holds a contact's personal data, which it can erase while keeping ids, amounts and times.</summary>
public interface IHoldsPersonalData
{
    Guid ContactId { get; }

    /// <summary>Removes the contact's name, company, email, phone, notes, summaries and evidence.</summary>
    void ErasePersonalData();
}

public static class PersonalData
{
    /// <summary>What an erased contact's name reads as, where a name is required.</summary>
    public const string ErasedName = "(erased)";

    /// <summary>The fields of an event or an answer that hold personal data (camelCase, as stored).</summary>
    private static readonly HashSet<string> Fields = new(StringComparer.OrdinalIgnoreCase)
    {
        "name", "company", "email", "phone", "notes", "summary", "evidence",
    };

    /// <summary>
    /// The JSON object <paramref name="json"/> with its personal fields set to null (top level only: events are flat,
    /// and a nested <c>name</c> is a task's or a product's, not the contact's).
    /// </summary>
    public static string Scrub(string json)
    {
        if (JsonNode.Parse(json) is not JsonObject fields)
        {
            return json;
        }
        foreach (var field in fields.Select(f => f.Key).Where(Fields.Contains).ToList())
        {
            fields[field] = null;
        }
        return fields.ToJsonString(JsonSerializerOptions.Web);
    }
}
