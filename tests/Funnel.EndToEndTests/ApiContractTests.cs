using System.Text.Json.Nodes;

namespace Funnel.EndToEndTests;

/// <summary>
/// The contract front-end teams build on: one OpenAPI document of the public API at the gateway, the committed copy
/// and typed client in clients/typescript that match it, linted and type-checked.
/// </summary>
public class ApiContractTests(FunnelApp funnel)
{
    private static readonly string Client = Path.Combine(DeploymentTests.Root, "clients", "typescript");

    [Fact(Timeout = 60_000)]
    public async Task The_gateway_serves_one_document_of_the_public_API_with_its_rules_stated()
    {
        using var anonymous = funnel.GatewayAs(null);
        var document = await (await anonymous.GetAsync("/openapi/v1.json", Api.Cancel)).Json(HttpStatusCode.OK);

        Assert.StartsWith("3.1", document["openapi"]!.GetValue<string>());
        Assert.Equal(anonymous.BaseAddress!.GetLeftPart(UriPartial.Authority), document["servers"]![0]!["url"]!.GetValue<string>());
        Assert.Equal("bearer", document["components"]!["securitySchemes"]!["bearer"]!["scheme"]!.GetValue<string>());
        var paths = document["paths"]!.AsObject();
        foreach (var path in new[]
        {
            "/api/leads", "/api/leads/{contactId}/qualify", "/api/leads/imports/{importId}", "/api/contacts/{contactId}/erase",
            "/api/qualification/{contactId}/credit-check", "/api/quoting/{contactId}/quotes/{quoteId}/accept", "/api/sales",
            "/api/pipeline/contacts/{contactId}", "/api/pipeline/funnel",
        })
        {
            Assert.True(paths.ContainsKey(path), $"{path} is missing");
        }
        // Nothing internal: the operators' routes are not the gateway's.
        Assert.All(paths, p => Assert.StartsWith("/api/", p.Key));

        var tags = document["tags"]!.AsArray().ToDictionary(t => t!["name"]!.GetValue<string>(), t => t!["description"]!.GetValue<string>());
        var operations = paths.SelectMany(p => p.Value!.AsObject()
            .Where(o => o.Key is "get" or "post" or "put" or "patch" or "delete")
            .Select(o => (Path: p.Key, Method: o.Key, Operation: o.Value!))).ToList();
        Assert.Equal(operations.Count, operations.Select(o => o.Operation["operationId"]!.GetValue<string>()).Distinct().Count());
        foreach (var (path, method, operation) in operations)
        {
            var tag = Assert.Single(operation["tags"]!.AsArray())!.GetValue<string>();
            Assert.True(tags.ContainsKey(tag), $"{method} {path}: tag {tag} is not described");
            var answers = operation["responses"]!.AsObject();
            Assert.All(new[] { "401", "403", "429" }, status => Assert.True(answers.ContainsKey(status), $"{method} {path}: no {status}"));
            if (path.Contains('{'))
            {
                Assert.True(answers.ContainsKey("404"), $"{method} {path}: no 404");
            }
            if (operation["requestBody"] is { } body)
            {
                Assert.All(body["content"]!.AsObject(), media => Assert.NotNull(media.Value!["example"]));
            }
        }

        // Required means required, numbers are numbers, enums are listed.
        var schemas = document["components"]!["schemas"]!.AsObject();
        var lead = SchemaOf(paths["/api/leads"]!["post"]!, schemas);
        Assert.Equal(["name"], lead["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(["convention", "referral", "directory", "web", "import", "other"],
            Resolve(lead["properties"]!["source"]!, schemas)["enum"]!.AsArray().Where(v => v is not null).Select(v => v!.GetValue<string>()));
        var line = Resolve(SchemaOf(paths["/api/quoting/{contactId}/quotes"]!["post"]!, schemas)["properties"]!["lines"]!["items"]!, schemas);
        Assert.DoesNotContain("string", line["properties"]!["quantity"]!["type"]!.ToJsonString());
        Assert.Contains("number", line["properties"]!["quantity"]!["type"]!.ToJsonString());
        Assert.Equal(["description", "quantity", "sku", "unitPrice"], line["required"]!.AsArray().Select(r => r!.GetValue<string>()).Order());
    }

    [Fact(Timeout = 60_000)]
    public async Task The_committed_document_is_what_the_gateway_serves()
    {
        var served = await (await funnel.GatewayAs(null).GetAsync("/openapi/v1.json", Api.Cancel)).Json(HttpStatusCode.OK);
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Client, "openapi.json"), Api.Cancel))!;
        served["servers"] = committed["servers"]!.DeepClone();

        if (!JsonNode.DeepEquals(served, committed))
        {
            var copy = Path.Combine(Path.GetTempPath(), $"funnel-openapi-{Guid.NewGuid():N}.json");
            await File.WriteAllTextAsync(copy, served.ToJsonString(new() { WriteIndented = true }), Api.Cancel);
            Assert.Fail($"clients/typescript/openapi.json differs from what the gateway serves (saved at {copy}). " +
                "Start the system (scripts/run.sh) and run scripts/update-api-client.sh, then commit both files.");
        }
    }

    private static JsonNode SchemaOf(JsonNode operation, JsonObject schemas) =>
        Resolve(operation["requestBody"]!["content"]!["application/json"]!["schema"]!, schemas);

    /// <summary>The schema itself, the one it refers to, or for a nullable reference (oneOf null or a $ref) the referred one.</summary>
    private static JsonNode Resolve(JsonNode schema, JsonObject schemas) =>
        schema["$ref"]?.GetValue<string>() is { } reference ? schemas[reference.Split('/')[^1]]!
        : schema["oneOf"]?.AsArray().FirstOrDefault(s => s?["$ref"] is not null) is { } referred ? Resolve(referred, schemas)
        : schema;
}
