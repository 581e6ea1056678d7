using System.Security.Cryptography;
using System.Text;

namespace ReviewBot.GitHub.Webhooks;

public enum SignatureCheck
{
    Valid,
    Missing,
    Malformed,
    Mismatch,
}

/// <summary>GitHub's <c>X-Hub-Signature-256</c>: <c>sha256=</c> + hex HMAC-SHA256 of the raw body, compared in constant time.</summary>
public static class WebhookSignature
{
    public const string HeaderName = "X-Hub-Signature-256";
    private const string Prefix = "sha256=";

    public static string Compute(string secret, ReadOnlySpan<byte> body)
        => Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static SignatureCheck Verify(string secret, ReadOnlySpan<byte> body, string? header)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (string.IsNullOrEmpty(header))
        {
            return SignatureCheck.Missing;
        }

        if (!header.StartsWith(Prefix, StringComparison.Ordinal) || header.Length != Prefix.Length + 64)
        {
            return SignatureCheck.Malformed;
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(header.AsSpan(Prefix.Length));
        }
        catch (FormatException)
        {
            return SignatureCheck.Malformed;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);
        return CryptographicOperations.FixedTimeEquals(expected, given) ? SignatureCheck.Valid : SignatureCheck.Mismatch;
    }
}
