using System.Text.Json.Nodes;

namespace Funnel.Gateway;

/// <summary>
/// Joins the services' OpenAPI documents into the public one and states, once, what the conventions make true of
/// every route (../shared/API.md): who may call, the problem answers, the precondition and idempotency headers.
/// </summary>
public static class PublicApi
{
    /// <summary>One tag per stage (and the personal-data routes), with what it is for.</summary>
    public static readonly IReadOnlyDictionary<string, string> Tags = new Dictionary<string, string>
    {
        ["Leads"] = "The lead stage: capture, import, search, qualify or disqualify; contact details and owner.",
        ["Qualification"] = "The qualified-lead stage: first interaction, interest, credit check, promotion to prospect.",
        ["Quoting"] = "The prospect stage: activities, progress, quotes sent and accepted.",
        ["Orders"] = "The customer stage: orders, customers and sales credited to salespeople.",
        ["Pipeline"] = "Every stage at once (read only): journeys, the board, the funnel and stale contacts.",
        ["Personal data"] = "Erasure of a contact's personal data in every service (managers).",
    };

    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    public static JsonObject Join(IEnumerable<(PublicRoutes.Service Service, JsonObject Document)> parts)
    {
        var paths = new JsonObject();
        var schemas = new JsonObject();
        foreach (var (service, document) in parts)
        {
            foreach (var (path, item) in document["paths"]?.AsObject() ?? [])
            {
                if (service.Paths.Any(prefix => path == prefix || path.StartsWith(prefix + "/", StringComparison.Ordinal)))
                {
                    paths[path] = item!.DeepClone();
                }
            }
            foreach (var (name, schema) in document["components"]?["schemas"]?.AsObject() ?? [])
            {
                schemas[name] ??= schema!.DeepClone();
            }
        }
        foreach (var (name, schema) in Shared.Schemas())
        {
            schemas[name] = schema;
        }
        foreach (var (path, item) in paths)
        {
            foreach (var method in Methods)
            {
                if (item![method] is JsonObject operation)
                {
                    Complete(path, method, operation);
                }
            }
        }

        var responses = Shared.Responses();
        var used = Referenced(schemas, paths, responses);
        foreach (var unused in schemas.Select(s => s.Key).Where(name => !used.Contains(name)).ToList())
        {
            // A schema only an internal route used (the rebuild's answer), or one the shared answers replaced.
            schemas.Remove(unused);
        }

        return new JsonObject
        {
            ["openapi"] = "3.1.1",
            ["info"] = new JsonObject
            {
                ["title"] = "Funnel API",
                ["version"] = "v1",
                ["description"] = "The sales funnel's public API, through its gateway: every contact from lead to " +
                    "customer, the tasks each stage requires, and the reports over all of them. Every route needs a " +
                    "bearer token (JWT) naming the user in `sub` and the role (`salesperson` or `manager`) in `role`.",
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = "http://localhost:5080", ["description"] = "This gateway" }),
            ["security"] = new JsonArray(new JsonObject { ["bearer"] = new JsonArray() }),
            ["tags"] = new JsonArray([.. Tags.Select(t => (JsonNode)new JsonObject { ["name"] = t.Key, ["description"] = t.Value })]),
            ["paths"] = Sorted(paths),
            ["components"] = new JsonObject
            {
                ["schemas"] = Sorted(schemas),
                ["responses"] = responses,
                ["parameters"] = Shared.Parameters(),
                ["headers"] = Shared.Headers(),
                ["securitySchemes"] = new JsonObject
                {
                    ["bearer"] = new JsonObject
                    {
                        ["type"] = "http",
                        ["scheme"] = "bearer",
                        ["bearerFormat"] = "JWT",
                        ["description"] = "A token of the OpenID Connect issuer the system trusts (locally: " +
                            "scripts/dev-token.sh or the development issuer's POST /token).",
                    },
                },
            },
        };
    }

    /// <summary>What the conventions add to one operation: its tag, its answers, its headers, its example.</summary>
    private static void Complete(string path, string method, JsonObject operation)
    {
        var tag = operation["tags"]?.AsArray().Select(t => t!.GetValue<string>()).FirstOrDefault(Tags.ContainsKey)
            ?? Tags.Keys.First();
        operation["tags"] = new JsonArray(tag);
        var responses = operation["responses"] as JsonObject ?? [];
        operation["responses"] = responses;
        var parameters = operation["parameters"] as JsonArray ?? [];
        var write = method != "get";
        var onRecord = path.Contains('{', StringComparison.Ordinal);
        var hasInput = operation["requestBody"] is not null ||
            parameters.Any(p => p?["in"]?.GetValue<string>() is "query" or "path");

        if (hasInput || write)
        {
            responses["400"] = Ref("responses", "BadRequest");
        }
        responses["401"] = Ref("responses", "Unauthorized");
        responses["403"] = Ref("responses", "Forbidden");
        if (onRecord)
        {
            responses["404"] = Ref("responses", "NotFound");
        }
        responses["429"] = Ref("responses", "TooManyRequests");
        if (write)
        {
            parameters.Add(Ref("parameters", "IdempotencyKey"));
            // A blocked move (unmet tasks), a move the record's state refuses, a duplicate lead, or the same
            // Idempotency-Key still in flight; the same key with another request is 422.
            responses["409"] = Ref("responses", "Conflict");
            responses["422"] = Ref("responses", "IdempotencyKeyReused");
            if (onRecord && path.StartsWith("/api/leads/{contactId}", StringComparison.Ordinal) && method == "patch")
            {
                parameters.Add(Ref("parameters", "IfMatchRequired"));
                responses["412"] = Ref("responses", "PreconditionFailed");
                responses["428"] = Ref("responses", "PreconditionRequired");
            }
            else if (onRecord && !path.StartsWith("/api/contacts", StringComparison.Ordinal))
            {
                parameters.Add(Ref("parameters", "IfMatch"));
                responses["412"] = Ref("responses", "PreconditionFailed");
            }
            if (path == "/api/leads/import")
            {
                responses["413"] = Ref("responses", "PayloadTooLarge");
            }
        }
        foreach (var (status, answer) in responses.ToList())
        {
            if (status.StartsWith('2') && answer is JsonObject success && success["$ref"] is null)
            {
                var headers = success["headers"] as JsonObject ?? [];
                success["headers"] = headers;
                if (status is "201" or "202")
                {
                    headers["Location"] = Ref("headers", "Location");
                }
                if (onRecord || status == "201")
                {
                    headers["ETag"] = Ref("headers", "ETag");
                }
                if (write)
                {
                    headers["Idempotent-Replayed"] = Ref("headers", "IdempotentReplayed");
                }
                if (headers.Count == 0)
                {
                    success.Remove("headers");
                }
            }
        }
        operation["responses"] = Sorted(responses);
        if (parameters.Count > 0)
        {
            operation["parameters"] = parameters;
        }
        if (operation["operationId"]?.GetValue<string>() is { } id &&
            ApiExamples.Bodies.TryGetValue(id, out var example) && operation["requestBody"]?["content"] is JsonObject content)
        {
            foreach (var (_, media) in content)
            {
                media!["example"] = example.DeepClone();
            }
        }
    }

    /// <summary>The schemas the paths and shared answers use, and the schemas those use in turn.</summary>
    private static HashSet<string> Referenced(JsonObject schemas, params JsonNode[] roots)
    {
        var used = new HashSet<string>();
        var pending = new Stack<JsonNode>(roots);
        while (pending.TryPop(out var node))
        {
            switch (node)
            {
                case JsonObject item:
                    foreach (var (key, value) in item)
                    {
                        if (key == "$ref" && value!.GetValue<string>() is var reference &&
                            reference.StartsWith("#/components/schemas/", StringComparison.Ordinal) &&
                            used.Add(reference.Split('/')[^1]) && schemas[reference.Split('/')[^1]] is { } target)
                        {
                            pending.Push(target);
                        }
                        else if (value is not null)
                        {
                            pending.Push(value);
                        }
                    }
                    break;
                case JsonArray list:
                    foreach (var value in list.OfType<JsonNode>())
                    {
                        pending.Push(value);
                    }
                    break;
            }
        }
        return used;
    }

    private static JsonObject Ref(string kind, string name) => new() { ["$ref"] = $"#/components/{kind}/{name}" };

    private static JsonObject Sorted(JsonObject items) =>
        new(items.OrderBy(i => i.Key, StringComparer.Ordinal)
            .Select(i => KeyValuePair.Create(i.Key, i.Value?.DeepClone())));

    /// <summary>The problem answers, parameters and headers every service shares, written once.</summary>
    private static class Shared
    {
        public static IEnumerable<(string, JsonNode)> Schemas() =>
        [
            ("Problem", JsonNode.Parse("""
                {
                  "type": "object",
                  "description": "An RFC 9457 problem: what went wrong, for people (title, detail) and for code (type, status, and the fields below where they apply).",
                  "required": ["type", "title", "status"],
                  "properties": {
                    "type": { "type": "string", "description": "What kind of problem, e.g. urn:funnel:problem:validation." },
                    "title": { "type": "string" },
                    "status": { "type": "integer", "format": "int32" },
                    "detail": { "type": "string" },
                    "instance": { "type": "string" },
                    "traceId": { "type": "string", "description": "The trace to look up in the dashboard." },
                    "errors": {
                      "type": "object",
                      "description": "400: the messages for each field that is not valid (e.g. lines[0].quantity).",
                      "additionalProperties": { "type": "array", "items": { "type": "string" } }
                    },
                    "unmet": {
                      "type": "array",
                      "items": { "type": "string" },
                      "description": "409: the gate's tasks still to do before the move (e.g. credit-approved)."
                    },
                    "gateVersion": { "type": "string", "description": "409: the gate version that refused the move." },
                    "existingContactId": {
                      "type": "string",
                      "format": "uuid",
                      "description": "409 duplicate: the lead that already has this email or phone, named only to its owner or a manager."
                    }
                  }
                }
                """)!),
        ];

        public static JsonObject Responses() => new()
        {
            ["BadRequest"] = Problem("The request is not valid: `errors` names each field and what is wrong with it."),
            ["Unauthorized"] = Problem("No valid bearer token: missing, expired, of another issuer, or without `sub`."),
            ["Forbidden"] = Problem("The token's role may not do this (a salesperson on a manager's route, or no Funnel role)."),
            ["NotFound"] = Problem("No such record, or one the caller may not see (another salesperson's contact reads as unknown)."),
            ["Conflict"] = Problem("The move is refused: `unmet` lists the gate's tasks still to do (with `gateVersion`), " +
                "the record's state does not allow it, the lead is a duplicate (`existingContactId`), or a request " +
                "with the same `Idempotency-Key` is still being answered."),
            ["IdempotencyKeyReused"] = Problem("The `Idempotency-Key` was used before with another request."),
            ["PreconditionFailed"] = Problem("`If-Match` names an older version: someone changed the record; read it again."),
            ["PreconditionRequired"] = Problem("This change needs `If-Match` with the ETag of the record as read."),
            ["PayloadTooLarge"] = Problem("The body is larger than the route takes (32 MB for an import)."),
            ["TooManyRequests"] = Problem("Too many requests from this user (or a second import while one runs); wait `Retry-After` seconds.",
                new JsonObject { ["Retry-After"] = Ref("headers", "RetryAfter") }),
        };

        private static JsonObject Problem(string description, JsonObject? headers = null)
        {
            var response = new JsonObject
            {
                ["description"] = description,
                ["content"] = new JsonObject
                {
                    ["application/problem+json"] = new JsonObject { ["schema"] = Ref("schemas", "Problem") },
                },
            };
            if (headers is not null)
            {
                response["headers"] = headers;
            }
            return response;
        }

        public static JsonObject Parameters() => new()
        {
            ["IdempotencyKey"] = Header("Idempotency-Key", false,
                "Send the same key to retry safely: an answer with an effect is replayed for 24 hours (`Idempotent-Replayed: true`); the same key with another request is 422.",
                new JsonObject { ["type"] = "string", ["maxLength"] = 200 }),
            ["IfMatch"] = Header("If-Match", false,
                "The ETag of the record as read: the change is made only if no one changed the record since (else 412).",
                new JsonObject { ["type"] = "string" }),
            ["IfMatchRequired"] = Header("If-Match", true,
                "The ETag of the lead as read (or `*`): required (428 without it, 412 when stale).",
                new JsonObject { ["type"] = "string" }),
        };

        private static JsonObject Header(string name, bool required, string description, JsonObject schema) => new()
        {
            ["name"] = name,
            ["in"] = "header",
            ["required"] = required,
            ["description"] = description,
            ["schema"] = schema,
        };

        public static JsonObject Headers() => new()
        {
            ["ETag"] = Described("The record's version, to send back in `If-Match`.", "string"),
            ["Location"] = Described("Where the created record, or the accepted work's progress, can be read.", "string"),
            ["RetryAfter"] = Described("Seconds to wait before trying again.", "integer"),
            ["IdempotentReplayed"] = Described("`true` when this is the stored answer to an earlier request with the same `Idempotency-Key`.", "boolean"),
        };

        private static JsonObject Described(string description, string type) => new()
        {
            ["description"] = description,
            ["schema"] = new JsonObject { ["type"] = type },
        };
    }
}
