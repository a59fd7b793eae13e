using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Infrastructure.Http;

/// <summary>The RFC 9457 answers the API promises (API.md), one place for their types and shapes.</summary>
public static class Problems
{
    private const string TypePrefix = "urn:funnel:problem:";

    public static ProblemHttpResult NotFound(string what, object id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        type: TypePrefix + "not-found",
        title: $"Unknown {what}",
        detail: $"There is no {what} '{id}'.");

    public static ProblemHttpResult Forbidden(string detail) => TypedResults.Problem(
        statusCode: StatusCodes.Status403Forbidden,
        type: TypePrefix + "forbidden",
        title: "Not yours",
        detail: detail);

    public static ProblemHttpResult Conflict(string type, string title, string detail,
        IDictionary<string, object?>? extensions = null) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        type: TypePrefix + type,
        title: title,
        detail: detail,
        extensions: extensions);

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] },
            type: TypePrefix + "validation");
}
