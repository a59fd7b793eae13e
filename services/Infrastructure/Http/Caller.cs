using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Hosting;

namespace Funnel.Infrastructure.Http;

/// <summary>
/// Who is calling and what they may see: a manager sees every contact and can reassign; a salesperson sees and
/// changes only the contacts they own.
/// </summary>
public sealed class Caller(string name, bool isManager)
{
    public Caller(ClaimsPrincipal user) : this(user.Identity?.Name ?? "", user.IsManager())
    {
    }

    public string Name { get; } = name;
    public bool IsManager { get; } = isManager;

    public static ValueTask<Caller?> BindAsync(HttpContext context) => ValueTask.FromResult<Caller?>(new Caller(context.User));

    public bool Owns(string? owner) => IsManager || owner == Name;

    /// <summary>The owner a list is narrowed to: a salesperson's own contacts, whatever they asked for.</summary>
    public string? OwnerFilter(string? requested) => IsManager ? requested : Name;

    /// <summary>
    /// The answer for a record of <paramref name="owner"/> the caller may not see or change: the same 404 as for an
    /// unknown id, so that no one learns which ids exist among others' contacts.
    /// </summary>
    public ProblemHttpResult? Denies(string? owner, string what, object id) =>
        Owns(owner) ? null : Problems.NotFound(what, id);
}
