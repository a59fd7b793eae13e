using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Funnel.DevIssuer;

/// <summary>
/// An ES256 signing key and the tokens it signs: the development issuer's, and the test runs' stand-ins for a
/// company's identity provider. The key id is the key's own fingerprint, so a new key is a new <c>kid</c>.
/// </summary>
public sealed class IssuerKey : IDisposable
{
    private readonly ECDsa _key;

    public IssuerKey(ECDsa key)
    {
        _key = key;
        KeyId = Base64Url(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];
    }

    public static IssuerKey Create() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>The key in <paramref name="file"/>, made there first (readable by its owner only) if it is missing.</summary>
    public static IssuerKey LoadOrCreate(string file)
    {
        if (!File.Exists(file))
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
            Directory.CreateDirectory(folder);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var pem = key.ExportPkcs8PrivateKeyPem();
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            try
            {
                using var writer = new StreamWriter(file, Encoding.ASCII, options);
                writer.Write(pem);
            }
            catch (IOException) when (File.Exists(file))
            {
                // Another process made it first: use theirs.
            }
        }
        var loaded = ECDsa.Create();
        loaded.ImportFromPem(File.ReadAllText(file));
        return new IssuerKey(loaded);
    }

    public string KeyId { get; }

    /// <summary>The public half as a JSON Web Key (RFC 7517), as a JWKS lists it.</summary>
    public Dictionary<string, string> PublicJwk()
    {
        var point = _key.ExportParameters(includePrivateParameters: false).Q;
        return new()
        {
            ["kty"] = "EC",
            ["crv"] = "P-256",
            ["x"] = Base64Url(point.X!),
            ["y"] = Base64Url(point.Y!),
            ["kid"] = KeyId,
            ["use"] = "sig",
            ["alg"] = "ES256",
        };
    }

    /// <summary>The public key as the SubjectPublicKeyInfo bytes (what an HS256 forgery would use as its secret).</summary>
    public byte[] PublicKeyBytes() => _key.ExportSubjectPublicKeyInfo();

    /// <summary>A compact JWS of <paramref name="claims"/>, signed ES256 with this key.</summary>
    public string Sign(IReadOnlyDictionary<string, object> claims)
    {
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "ES256", typ = "JWT", kid = KeyId }));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = _key.SignData(Encoding.ASCII.GetBytes($"{header}.{payload}"), HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{header}.{payload}.{Base64Url(signature)}";
    }

    /// <summary>An access token of <paramref name="issuer"/> for the Funnel API: the user, the role, a lifetime.</summary>
    public string Token(string issuer, string audience, string user, string role, TimeSpan lifetime)
    {
        var now = DateTimeOffset.UtcNow;
        return Sign(new Dictionary<string, object>
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            ["sub"] = user,
            ["role"] = role,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + lifetime).ToUnixTimeSeconds(),
        });
    }

    public static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose() => _key.Dispose();
}
