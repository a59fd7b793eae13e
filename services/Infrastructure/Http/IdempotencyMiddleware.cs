using System.Security.Cryptography;
using System.Text;
using Funnel.Infrastructure.Data;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Funnel.Infrastructure.Http;

/// <summary>
/// <c>Idempotency-Key</c> on POST, PUT and PATCH: the same user sending the same key gets the first answer again and
/// causes no second effect. The key's row joins the request's own unit of work, so it commits together with the
/// effect (a racing twin fails on the key and its effect rolls back); the answer is stored right after. If a crash
/// loses the answer, a retry is told so (409) instead of running again. Only an answer with an effect is kept (a
/// refused request can be corrected and sent again under its key), a key lives <c>Retention:IdempotencyKeys</c> (24 h),
/// and <c>If-Match</c> is part of what makes two requests the same.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next)
{
    public const string Header = "Idempotency-Key";
    private const int MaxKeyLength = 200;

    public async Task InvokeAsync(HttpContext http, TimeProvider time, IOptions<RetentionOptions> retention)
    {
        var method = http.Request.Method;
        if (!(HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method)) ||
            !http.Request.Headers.TryGetValue(Header, out var keyHeader) ||
            http.User.Identity?.Name is not { Length: > 0 } caller ||
            http.RequestServices.GetService<StageDbContext>() is not { } db)
        {
            await next(http);
            return;
        }
        var key = keyHeader.ToString();
        if (key.Length is 0 or > MaxKeyLength)
        {
            await Problem(http, StatusCodes.Status400BadRequest, "bad-idempotency-key", "The Idempotency-Key is not valid",
                $"An Idempotency-Key has 1 to {MaxKeyLength} characters.");
            return;
        }

        var hash = await HashAsync(http.Request);
        var now = time.GetUtcNow();
        var earlier = await FindAsync(db, caller, key);
        var expiredBefore = now - retention.Value.IdempotencyKeys;
        if (earlier is not null && earlier.CreatedAt < expiredBefore)
        {
            // An expired key is a new request; its row goes now, before the purge would come to it.
            await db.IdempotentRequests.Where(r => r.Caller == caller && r.Key == key && r.CreatedAt < expiredBefore)
                .ExecuteDeleteAsync(http.RequestAborted);
            earlier = null;
        }
        if (earlier is not null)
        {
            await ReplayAsync(http, await AnsweredAsync(db, earlier), hash);
            return;
        }

        var record = new IdempotentRequest { Caller = caller, Key = key, RequestHash = hash, CreatedAt = now };
        db.IdempotentRequests.Add(record);
        var body = http.Response.Body;
        using var answer = new MemoryStream();
        http.Response.Body = answer;
        try
        {
            await next(http);
        }
        catch (DbUpdateException)
        {
            // Did the same key race in and commit first? Then this request's effect rolled back with its key row.
            http.Response.Body = body;
            if (await ReplayedWinnerAsync(http, db, caller, key, hash))
            {
                return;
            }
            throw;
        }
        finally
        {
            http.Response.Body = body;
        }

        if (IsSuccess(http.Response.StatusCode) || db.Entry(record).State is EntityState.Unchanged or EntityState.Modified)
        {
            try
            {
                await KeepAnswerAsync(db, record, http.Response, answer.ToArray());
            }
            catch (DbUpdateException)
            {
                // A handler that recovers from its failed commit (a duplicate lead) answered for itself, but the
                // twin that won the key decides the answer.
                if (await ReplayedWinnerAsync(http, db, caller, key, hash))
                {
                    return;
                }
                throw;
            }
        }
        answer.Position = 0;
        await answer.CopyToAsync(body, http.RequestAborted);
    }

    /// <summary>
    /// A 2xx answer is kept for replay. Any other kept only if the key row was committed with the request's own unit of
    /// work (its effect happened); a refused request left nothing to protect.
    /// </summary>
    private static bool IsSuccess(int status) => status is >= 200 and < 300;

    /// <summary>Replays the answer of the twin that committed this key first; false when there is none.</summary>
    private static async Task<bool> ReplayedWinnerAsync(HttpContext http, StageDbContext db, string caller, string key,
        string hash)
    {
        db.ChangeTracker.Clear();
        if (await FindAsync(db, caller, key) is not { } winner)
        {
            return false;
        }
        http.Response.Clear();
        await ReplayAsync(http, await AnsweredAsync(db, winner), hash);
        return true;
    }

    private static async Task KeepAnswerAsync(StageDbContext db, IdempotentRequest record, HttpResponse response, byte[] answer)
    {
        if (db.Entry(record).State == EntityState.Detached)
        {
            // The handler cleared its unit of work after a failed commit; the key row went with it.
            db.IdempotentRequests.Add(record);
        }
        record.StatusCode = response.StatusCode;
        record.ContentType = response.ContentType;
        record.Location = response.Headers.Location.ToString() is { Length: > 0 } location ? location : null;
        record.ETag = response.Headers.ETag.ToString() is { Length: > 0 } etag ? etag : null;
        record.Body = answer;
        record.ContactId = ContactOf(response.HttpContext, record.Location);
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>The contact the answer is about (its route's, or the one it created), so an erasure finds it.</summary>
    private static Guid? ContactOf(HttpContext http, string? location) =>
        Guid.TryParse(http.GetRouteValue("contactId")?.ToString(), out var routed) ? routed
        : Guid.TryParse(location?.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(), out var created) ? created
        : null;

    private static async Task ReplayAsync(HttpContext http, IdempotentRequest earlier, string hash)
    {
        if (earlier.RequestHash != hash)
        {
            await Problem(http, StatusCodes.Status422UnprocessableEntity, "idempotency-key-reused",
                "The Idempotency-Key belongs to another request",
                "This Idempotency-Key was sent with a different request; use a new key for a new request.");
            return;
        }
        if (earlier.StatusCode is not { } status)
        {
            await Problem(http, StatusCodes.Status409Conflict, "idempotency-key-in-flight",
                "The first request with this Idempotency-Key has no stored answer",
                "It is still running, or it ran and its answer was lost; read the resource to see its state.");
            return;
        }
        http.Response.StatusCode = status;
        http.Response.Headers["Idempotent-Replayed"] = "true";
        if (earlier.ContentType is not null) http.Response.ContentType = earlier.ContentType;
        if (earlier.Location is not null) http.Response.Headers.Location = earlier.Location;
        if (earlier.ETag is not null) http.Response.Headers.ETag = earlier.ETag;
        if (earlier.Body is { Length: > 0 } body)
        {
            await http.Response.Body.WriteAsync(body, http.RequestAborted);
        }
    }

    private static async Task<string> HashAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // If-Match counts: the same edit against another revision is another request.
        sha.AppendData(Encoding.UTF8.GetBytes(
            $"{request.Method} {request.Path}{request.QueryString}\nIf-Match: {request.Headers.IfMatch}\n"));
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
        {
            sha.AppendData(buffer, 0, read);
        }
        request.Body.Position = 0;
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    /// <summary>
    /// A twin whose effect has committed stores its answer a moment later: wait a little for it, so the retry gets
    /// the same answer rather than "in progress".
    /// </summary>
    private static async Task<IdempotentRequest> AnsweredAsync(StageDbContext db, IdempotentRequest earlier)
    {
        for (var wait = 0; earlier.StatusCode is null && wait < 50; wait++)
        {
            await Task.Delay(100);
            earlier = await FindAsync(db, earlier.Caller, earlier.Key) ?? earlier;
        }
        return earlier;
    }

    private static Task<IdempotentRequest?> FindAsync(StageDbContext db, string caller, string key) =>
        db.IdempotentRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Caller == caller && r.Key == key);

    private static Task Problem(HttpContext http, int status, string type, string title, string detail)
    {
        http.Response.StatusCode = status;
        return http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status, Type = "urn:funnel:problem:" + type, Title = title, Detail = detail },
        }).AsTask();
    }
}
