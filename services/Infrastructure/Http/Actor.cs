using Microsoft.AspNetCore.Http;

namespace Funnel.Infrastructure.Http;

/// <summary>Who did something, for the evidence on a record.</summary>
public static class Actor
{
    /// <summary>The signed-in user; until the API authenticates callers, the record's owner acts.</summary>
    public static string Of(HttpContext http, string owner) =>
        http.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : owner;
}
