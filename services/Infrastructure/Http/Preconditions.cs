using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Funnel.Infrastructure.Http;

/// <summary>
/// Optimistic concurrency over HTTP: a record's ETag is its revision; a write that sends <c>If-Match</c> with an ETag
/// that is no longer current gets 412 and changes nothing. (The revision is also the database's concurrency token, so
/// a change that races past this check fails at commit: 412 when the request sent If-Match, else 409.)
/// </summary>
public static class Preconditions
{
    public static string ETag(int revision) => $"\"{revision}\"";

    public static void Tag(HttpContext http, int revision) => http.Response.Headers.ETag = ETag(revision);

    public static bool HasIfMatch(HttpContext http) => !string.IsNullOrEmpty(http.Request.Headers.IfMatch);

    /// <summary>412 when <c>If-Match</c> is sent and names neither <c>*</c> nor the current revision.</summary>
    public static ProblemHttpResult? Stale(HttpContext http, int revision, string what)
    {
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrEmpty(ifMatch) || ifMatch == "*" ||
            ifMatch.Split(',').Select(tag => tag.Trim()).Contains(ETag(revision)))
        {
            return null;
        }
        return StaleProblem(what, revision);
    }

    private static ProblemHttpResult StaleProblem(string what, int revision) => TypedResults.Problem(
        statusCode: StatusCodes.Status412PreconditionFailed,
        type: "urn:funnel:problem:stale",
        title: $"The {what} changed since you read it",
        detail: $"If-Match does not match the {what}'s ETag {ETag(revision)}; read it again and reapply.");
}
