using System.Net;
using System.Text.Json;
using Funnel.DevIssuer;

namespace Funnel.Testing;

/// <summary>
/// A stand-in for a company's OpenID Connect provider, run by the test itself: its discovery document and JWKS over
/// HTTP, tokens signed with its current key, and a key rotation as providers do it (the new key is published beside
/// the old one and signs from then on).
/// </summary>
public sealed class TestIssuer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<IssuerKey> _published = [IssuerKey.Create()];

    public TestIssuer()
    {
        var port = 20_000 + Random.Shared.Next(10_000);
        Authority = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Authority + "/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public string Authority { get; }

    /// <summary>The key that signs now.</summary>
    public IssuerKey Key
    {
        get
        {
            lock (_published)
            {
                return _published[^1];
            }
        }
    }

    /// <summary>Publishes a new key and signs with it from now on.</summary>
    public void RotateKey()
    {
        lock (_published)
        {
            _published.Add(IssuerKey.Create());
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            try
            {
                // Each service fetches on its own: answer them side by side, and let no failed answer stop the rest.
                var context = await _listener.GetContextAsync();
                _ = Task.Run(() => AnswerAsync(context));
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            object? body = context.Request.Url?.AbsolutePath switch
            {
                "/.well-known/openid-configuration" => new Dictionary<string, object>
                {
                    ["issuer"] = Authority,
                    ["jwks_uri"] = $"{Authority}/.well-known/jwks.json",
                    ["id_token_signing_alg_values_supported"] = new[] { "ES256" },
                },
                "/.well-known/jwks.json" => new { keys = Jwks() },
                _ => null,
            };
            context.Response.StatusCode = body is null ? 404 : 200;
            context.Response.ContentType = "application/json";
            if (body is not null)
            {
                await context.Response.OutputStream.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(body));
            }
            context.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The caller went away, or the issuer is being disposed.
        }
    }

    private List<Dictionary<string, string>> Jwks()
    {
        lock (_published)
        {
            return _published.Select(key => key.PublicJwk()).ToList();
        }
    }

    public void Dispose()
    {
        _listener.Close();
        lock (_published)
        {
            _published.ForEach(key => key.Dispose());
        }
    }
}
