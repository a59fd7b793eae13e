using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Funnel.AppHost;

/// <summary>
/// The run's JWT settings: a signing key from configuration (<c>Parameters:jwt-signing-key</c>, e.g. user secrets),
/// else one made once and kept in the git-ignored data folder, where <c>scripts/dev-token.sh</c> finds it too.
/// </summary>
public static class Tokens
{
    public const string Issuer = "funnel";
    public const string Audience = "funnel-api";

    public static string SigningKey(IConfiguration configuration, string dataPath)
    {
        if (configuration["Parameters:jwt-signing-key"] is { Length: > 0 } configured)
        {
            return configured;
        }
        var file = Path.Combine(dataPath, "jwt-signing-key");
        if (!File.Exists(file))
        {
            File.WriteAllText(file, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }
        return File.ReadAllText(file).Trim();
    }

    /// <summary>An HS256 token, as the services accept it: <c>sub</c> the user, <c>role</c> the role.</summary>
    public static string Create(string signingKey, string user, string role, TimeSpan lifetime)
    {
        var now = DateTimeOffset.UtcNow;
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "HS256", typ = "JWT" }));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["sub"] = user,
            ["role"] = role,
            ["iss"] = Issuer,
            ["aud"] = Audience,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + lifetime).ToUnixTimeSeconds(),
        }));
        var signature = HMACSHA256.HashData(Convert.FromBase64String(signingKey), Encoding.ASCII.GetBytes($"{header}.{payload}"));
        return $"{header}.{payload}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
