using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ReviewBot.GitHub.Auth;

/// <summary>The RS256 JSON Web Token a GitHub App authenticates with: iat 60 s in the past, exp at most 10 minutes ahead.</summary>
public static class GitHubAppJwt
{
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(9);

    public static string Create(string appId, RSA key, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(appId);
        var header = Base64Url("""{"alg":"RS256","typ":"JWT"}"""u8);
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iat"] = (now - ClockSkew).ToUnixTimeSeconds(),
            ["exp"] = (now + Lifetime).ToUnixTimeSeconds(),
            ["iss"] = long.TryParse(appId, out var numeric) ? numeric : appId,
        }));
        var signingInput = header + "." + payload;
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    /// <summary>Loads a PEM private key (PKCS#1 "RSA PRIVATE KEY" as GitHub issues it, or PKCS#8).</summary>
    public static RSA LoadKey(string pem)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem.Replace("\\n", "\n", StringComparison.Ordinal));
            return rsa;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            // Never echo the key material.
            throw new InvalidOperationException("ReviewBot:GitHub:PrivateKey is not a PEM-encoded RSA private key.");
        }
    }

    internal static string Base64Url(ReadOnlySpan<byte> bytes)
        => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
