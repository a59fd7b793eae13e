using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Funnel.Infrastructure.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Funnel.Infrastructure.Http;

/// <summary>The values a query filter takes (an enum read as text by <see cref="EnumQuery"/>), for the API document.</summary>
public sealed record QueryValues(string Name, IReadOnlyList<string> Values);

/// <summary>What a service's OpenAPI document states beyond what the types alone give.</summary>
public static class OpenApiSchemas
{
    /// <summary>Documents the values of the <paramref name="name"/> filter: those of <typeparamref name="TEnum"/>.</summary>
    public static RouteHandlerBuilder WithQueryValues<TEnum>(this RouteHandlerBuilder endpoint, string name)
        where TEnum : struct, Enum =>
        endpoint.WithMetadata(new QueryValues(name, Enum.GetValues<TEnum>().Select(WireNames.Of).ToList()));

    /// <summary>Query parameters as the rules say: paging bounds (<see cref="Paging"/>) and the filters' values.</summary>
    public static Task QueryAsTheRulesSay(OpenApiOperation operation, OpenApiOperationTransformerContext context,
        CancellationToken cancellationToken)
    {
        var values = context.Description.ActionDescriptor.EndpointMetadata.OfType<QueryValues>().ToList();
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.In != ParameterLocation.Query || parameter.Schema is not OpenApiSchema schema)
            {
                continue;
            }
            switch (parameter.Name)
            {
                case "page":
                    (schema.Minimum, schema.Maximum) = ("1", Paging.MaxPage.ToString(CultureInfo.InvariantCulture));
                    break;
                case "pageSize":
                    (schema.Minimum, schema.Maximum) = ("1", Paging.MaxPageSize.ToString(CultureInfo.InvariantCulture));
                    schema.Default = Paging.DefaultPageSize;
                    break;
            }
            if (values.FirstOrDefault(v => v.Name == parameter.Name) is { } allowed)
            {
                schema.Enum = [.. allowed.Values.Select(v => (JsonNode)JsonValue.Create(v))];
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// What a client may leave out and what it must send, as the types say it: a field is required when it is marked
    /// <see cref="RequiredAttribute"/> (and then never null) or when its type cannot be null. A request record's
    /// constructor would otherwise list every field as required, nullable ones included.
    /// </summary>
    public static Task RequiredAsTheTypesSay(OpenApiSchema schema, OpenApiSchemaTransformerContext context,
        CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is not null || context.JsonTypeInfo.Kind != JsonTypeInfoKind.Object ||
            schema.Properties is not { Count: > 0 } properties)
        {
            return Task.CompletedTask;
        }
        var required = new HashSet<string>();
        foreach (var property in context.JsonTypeInfo.Properties)
        {
            var marked = Marked<RequiredAttribute>(property);
            if (marked || !property.IsGetNullable)
            {
                required.Add(property.Name);
            }
            if (marked && properties.TryGetValue(property.Name, out var field) && field is OpenApiSchema { Type: { } type } own)
            {
                own.Type = type & ~JsonSchemaType.Null;
            }
        }
        schema.Required = required;
        return Task.CompletedTask;
    }

    private static bool Marked<TAttribute>(JsonPropertyInfo property) where TAttribute : Attribute =>
        property.AttributeProvider?.IsDefined(typeof(TAttribute), inherit: true) == true ||
        property.AssociatedParameter?.AttributeProvider?.IsDefined(typeof(TAttribute), inherit: true) == true;
}
