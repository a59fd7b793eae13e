using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Infrastructure.Http;

/// <summary>Collects every problem with a request, so one 400 names them all.</summary>
public sealed class Validation
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public bool IsValid => _errors.Count == 0;

    /// <summary>
    /// The rules a request type declares on its properties (<see cref="RequiredAttribute"/>, lengths, ranges), the
    /// same ones its OpenAPI schema states: declared once, read by both. Lists of records are checked item by item
    /// (<c>lines[0].quantity</c>). What needs more than the value (the database, today's date) stays in the handler.
    /// </summary>
    public static Validation Of(object request) => new Validation().Declared(request, prefix: "");

    /// <summary>Each request type's properties with their JSON names and rules, read by reflection once per type.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, DeclaredProperty[]> Declarations = new();

    private sealed record DeclaredProperty(System.Reflection.PropertyInfo Property, string Name, ValidationAttribute[] Rules);

    private static DeclaredProperty[] DeclarationsOf(Type type) => Declarations.GetOrAdd(type, t => t.GetProperties()
        .Select(p => new DeclaredProperty(p, System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(p.Name),
            p.GetCustomAttributes(typeof(ValidationAttribute), inherit: true).Cast<ValidationAttribute>().ToArray()))
        .ToArray());

    private Validation Declared(object request, string prefix)
    {
        foreach (var (property, name, rules) in DeclarationsOf(request.GetType()))
        {
            var field = prefix + name;
            var value = property.GetValue(request);
            foreach (var rule in rules)
            {
                if (!rule.IsValid(value))
                {
                    Add(field, Message(rule, field));
                }
            }
            if (value is System.Collections.IEnumerable items and not string)
            {
                var index = 0;
                foreach (var item in items)
                {
                    if (item is null)
                    {
                        Add($"{field}[{index}]", $"'{field}[{index}]' cannot be null.");
                    }
                    else if (!item.GetType().IsPrimitive && item is not string)
                    {
                        Declared(item, $"{field}[{index}].");
                    }
                    index++;
                }
            }
        }
        return this;
    }

    private static string Message(ValidationAttribute rule, string field) => rule switch
    {
        RequiredAttribute => $"'{field}' is required.",
        StringLengthAttribute { MinimumLength: > 0 } length =>
            $"'{field}' must be {length.MinimumLength} to {length.MaximumLength} characters.",
        StringLengthAttribute length => $"'{field}' must be at most {length.MaximumLength} characters.",
        RangeAttribute range => $"'{field}' must be between {range.Minimum} and {range.Maximum}.",
        LengthAttribute count => $"'{field}' must have {count.MinimumLength} to {count.MaximumLength} items.",
        _ => rule.FormatErrorMessage(field),
    };

    public Validation Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }
        messages.Add(message);
        return this;
    }

    public Validation Check(bool ok, string field, string message) => ok ? this : Add(field, message);

    public Validation Required(string? value, string field) =>
        Check(!string.IsNullOrWhiteSpace(value), field, $"'{field}' is required.");

    public Validation MaxLength(string? value, int max, string field) =>
        Check(value is null || value.Length <= max, field, $"'{field}' must be at most {max} characters.");


    /// <summary>The errors so far, field by field.</summary>
    public IReadOnlyDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public Validation Merge(Validation other)
    {
        foreach (var (field, messages) in other._errors)
        {
            messages.ForEach(message => Add(field, message));
        }
        return this;
    }

    public ValidationProblem Problem() => TypedResults.ValidationProblem(
        Errors,
        title: "The request is not valid",
        type: "urn:funnel:problem:validation");
}

/// <summary>The body of every loss or rejection: <c>{ "reason": "..." }</c>, the reason required.</summary>
public sealed record ReasonRequest([property: Required, StringLength(500, MinimumLength = 1)] string? Reason);
