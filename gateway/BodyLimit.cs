using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Model;

namespace Funnel.Gateway;

internal static class BodyLimit
{
    /// <summary>As the stage services (StageServiceExtensions.MaxBodyBytes).</summary>
    public const long DefaultMaxBytes = 256 * 1024;

    public static async Task RefuseDeclaredOversizeAsync(HttpContext http, Func<Task> next)
    {
        // The route's own limit (the import's is larger), else the server's.
        var limit = http.GetReverseProxyFeature().Route.Config.MaxRequestBodySize
                    ?? http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        if (http.Request.ContentLength is { } length && limit is { } max && length > max)
        {
            await DrainAsync(http, length);
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails =
                {
                    Status = StatusCodes.Status413PayloadTooLarge,
                    Type = "urn:funnel:problem:too-large",
                    Title = "The body is too large",
                    Detail = $"This route takes bodies of at most {max} bytes; this one has {length}.",
                },
            });
            return;
        }
        await next();
    }

    /// <summary>
    /// Reads and drops a refused body of reasonable size, so that a client that sends its whole body before reading
    /// the answer (as HttpClient does) gets the 413 instead of a connection closed under its upload.
    /// </summary>
    private static async Task DrainAsync(HttpContext http, long length)
    {
        const long drainAtMost = 64 * 1024 * 1024;
        var size = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (length > drainAtMost || size is null || size.IsReadOnly)
        {
            return;
        }
        size.MaxRequestBodySize = length;
        var buffer = new byte[64 * 1024];
        while (await http.Request.Body.ReadAsync(buffer, http.RequestAborted) > 0)
        {
        }
    }
}
