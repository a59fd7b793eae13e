using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Hosting;

namespace Funnel.Infrastructure.Http;

/// <summary>
/// Who is calling and what they may see: a manager sees every contact and can reassign; a salesperson sees and
/// changes only the contacts they own.
/// </summary>
public sealed class Caller(ClaimsPrincipal user)
{
    public string Name { get; } = user.Identity?.Name ?? "";
    public bool IsManager { get; } = user.IsManager();

    public static ValueTask<Caller?> BindAsync(HttpContext context) => ValueTask.FromResult<Caller?>(new Caller(context.User));

    public bool Owns(string? owner) => IsManager || owner == Name;

    /// <summary>The owner a list is narrowed to: a salesperson's own contacts, whatever they asked for.</summary>
    public string? OwnerFilter(string? requested) => IsManager ? requested : Name;

    /// <summary>A 403 when the caller may not see or change a record of <paramref name="owner"/>.</summary>
    public ProblemHttpResult? Denies(string? owner, string what) =>
        Owns(owner) ? null : Problems.Forbidden($"This {what} belongs to another salesperson.");
}
