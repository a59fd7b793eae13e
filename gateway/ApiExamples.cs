using System.Text.Json.Nodes;

namespace Funnel.Gateway;

/// <summary>An example body for each operation that takes one, by operation id, as a front-end team would send it.</summary>
internal static class ApiExamples
{
    public static readonly IReadOnlyDictionary<string, JsonNode> Bodies = new Dictionary<string, string>
    {
        ["CaptureLead"] = """
            { "name": "Grace Hopper", "company": "Compilers Ltd", "email": "grace@compilers.example",
              "phone": "+1 555 0100", "source": "convention", "notes": "Met at the fair, wants a demo" }
            """,
        ["UpdateLead"] = """{ "phone": "+1 555 0199", "owner": "bob" }""",
        ["ImportLeads"] = "\"name,company,email,phone,source,owner\\nAda Lovelace,Analytical Engines,ada@engines.example,,import,alice\\n\"",
        ["DisqualifyLead"] = """{ "reason": "No budget this year" }""",
        ["LogInteraction"] = """{ "kind": "call", "summary": "Intro call: needs two units by March", "occurredAt": "2026-12-01T10:00:00Z" }""",
        ["ConfirmInterest"] = """{ "interested": true, "notes": "Wants a demo of the reporting" }""",
        ["CheckCredit"] = """{ "requestedLimit": { "amount": 20000, "currency": "EUR" } }""",
        ["DisqualifyCase"] = """{ "reason": "Went silent after the first call" }""",
        ["LogActivity"] = """{ "kind": "demo", "summary": "Demo of the reporting module", "occurredAt": "2026-12-02T14:00:00Z" }""",
        ["UpdateProgress"] = """{ "percentComplete": 40, "expectedCloseDate": "2027-01-31" }""",
        ["CreateQuote"] = """
            { "currency": "EUR", "validUntil": "2027-01-31",
              "lines": [ { "sku": "AE-1", "description": "Difference engine", "quantity": 2, "unitPrice": 1234.50, "discountPercent": 10 } ] }
            """,
        ["RejectQuote"] = """{ "reason": "Too expensive" }""",
        ["LoseProspect"] = """{ "reason": "Chose a competitor" }""",
    }.ToDictionary(e => e.Key, e => JsonNode.Parse(e.Value)!);
}
