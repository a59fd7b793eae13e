using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Infrastructure.Http;

/// <summary>Collects every problem with a request, so one 400 names them all.</summary>
public sealed class Validation
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public bool IsValid => _errors.Count == 0;

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

    /// <summary>A required reason, as every loss needs one.</summary>
    public Validation Reason(string? reason) => Required(reason, "reason").MaxLength(reason, 500, "reason");

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
