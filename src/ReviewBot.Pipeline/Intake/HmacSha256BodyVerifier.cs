using System.Security.Cryptography;

namespace ReviewBot.Pipeline.Intake;

/// <summary>
/// HMAC-SHA256 of (<c>prefix</c> + body) computed incrementally as the body streams in, compared in constant time with
/// each signature the sender offered. GitHub signs the body alone; Standard Webhooks (GitLab's signing token) sign
/// <c>{id}.{timestamp}.{body}</c>.
/// </summary>
public sealed class HmacSha256BodyVerifier : IBodyVerifier
{
    private readonly IncrementalHash _hmac;
    private readonly IReadOnlyList<byte[]> _offered;
    private readonly string _mismatch;

    /// <param name="offered">The signatures the delivery carries (any one matching suffices).</param>
    /// <param name="mismatch">The refusal when none matches.</param>
    public HmacSha256BodyVerifier(ReadOnlySpan<byte> key, ReadOnlySpan<byte> prefix, IReadOnlyList<byte[]> offered, string mismatch)
    {
        _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        _hmac.AppendData(prefix);
        _offered = offered;
        _mismatch = mismatch;
    }

    public void Append(ReadOnlySpan<byte> chunk) => _hmac.AppendData(chunk);

    public string? Finish()
    {
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        _hmac.GetHashAndReset(expected);
        var matched = false;
        foreach (var signature in _offered)
        {
            // No early exit: every offered signature is compared, each in constant time.
            matched |= CryptographicOperations.FixedTimeEquals(expected, signature);
        }

        return matched ? null : _mismatch;
    }

    public void Dispose() => _hmac.Dispose();
}
