using System.Security.Cryptography;
using System.Text;
using ReviewBot.Pipeline.Intake;

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

    /// <summary>Checks a whole body at once (the intake checks it while streaming, through <see cref="BodyVerifier"/>).</summary>
    public static SignatureCheck Verify(string secret, ReadOnlySpan<byte> body, string? header)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var check = Parse(header, out var offered);
        if (check != SignatureCheck.Valid)
        {
            return check;
        }

        using var verifier = BodyVerifier(Encoding.UTF8.GetBytes(secret), offered);
        verifier.Append(body);
        return verifier.Finish() is null ? SignatureCheck.Valid : SignatureCheck.Mismatch;
    }

    /// <summary>The signature the header offers: <see cref="SignatureCheck.Valid"/> when it is well formed (not yet compared).</summary>
    public static SignatureCheck Parse(string? header, out byte[] offered)
    {
        offered = [];
        if (string.IsNullOrEmpty(header))
        {
            return SignatureCheck.Missing;
        }

        if (!header.StartsWith(Prefix, StringComparison.Ordinal) || header.Length != Prefix.Length + 64)
        {
            return SignatureCheck.Malformed;
        }

        try
        {
            offered = Convert.FromHexString(header.AsSpan(Prefix.Length));
            return SignatureCheck.Valid;
        }
        catch (FormatException)
        {
            return SignatureCheck.Malformed;
        }
    }

    /// <summary>The HMAC the body must match, computed as it streams in.</summary>
    public static IBodyVerifier BodyVerifier(byte[] key, byte[] offered)
        => new HmacSha256BodyVerifier(key, [], [offered], $"invalid {HeaderName}");
}
