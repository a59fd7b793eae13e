using System.Net;

namespace Funnel.Testing;

/// <summary>Sending as a well-behaved client does.</summary>
public static class Polite
{
    /// <summary>
    /// A 429 (the gateway's per-user rate; nothing happened) is sent again after its Retry-After. Whatever sends more
    /// than the rate in a second goes through here.
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            var answer = await send();
            if (answer.StatusCode != HttpStatusCode.TooManyRequests)
            {
                return answer;
            }
            await Task.Delay(answer.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), cancellationToken);
            answer.Dispose();
        }
    }
}
