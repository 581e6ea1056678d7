using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ReviewBot.GitLab.Webhooks;

/// <summary>Outcome of checking a delivery's credentials; <see cref="Failure"/> says why it was refused.</summary>
public sealed record WebhookVerification(bool Accepted, string? Failure)
{
    public static WebhookVerification Ok { get; } = new(true, null);

    public static WebhookVerification Refused(string why) => new(false, why);
}

/// <summary>
/// Authenticates GitLab webhook deliveries. Every configured secret must be satisfied:
/// <list type="bullet">
/// <item><c>WebhookSecret</c>: <c>X-Gitlab-Token</c> must equal it (constant-time comparison).</item>
/// <item><c>SigningSecret</c> (<c>whsec_…</c>): <c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c>
/// must be present; one of the space-separated <c>v1,&lt;base64&gt;</c> signatures must be HMAC-SHA256 of
/// <c>{id}.{timestamp}.{body}</c> under the base64-decoded key after <c>whsec_</c>; the timestamp must be
/// within <c>SignatureTolerance</c> of now.</item>
/// </list>
/// </summary>
public sealed class GitLabWebhookVerifier
{
    private readonly GitLabOptions _options;
    private readonly TimeProvider _time;
    private readonly byte[]? _signingKey;
    private readonly byte[]? _tokenHash;

    public GitLabWebhookVerifier(GitLabOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _signingKey = string.IsNullOrEmpty(options.SigningSecret) ? null : DecodeSigningKey(options.SigningSecret)
            ?? throw new InvalidOperationException("ReviewBot:GitLab:SigningSecret is not a whsec_ signing token.");
        _tokenHash = string.IsNullOrEmpty(options.WebhookSecret) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(options.WebhookSecret));
        if (_signingKey is null && _tokenHash is null && !options.AllowUnauthenticatedWebhooks)
        {
            throw new InvalidOperationException("GitLab webhooks need ReviewBot:GitLab:WebhookSecret or SigningSecret.");
        }
    }

    /// <summary>The HMAC key of a <c>whsec_</c> signing token, or null when it is not one.</summary>
    public static byte[]? DecodeSigningKey(string secret)
    {
        const string prefix = "whsec_";
        var encoded = secret.StartsWith(prefix, StringComparison.Ordinal) ? secret[prefix.Length..] : null;
        if (string.IsNullOrEmpty(encoded))
        {
            return null;
        }

        var buffer = new byte[encoded.Length];
        return Convert.TryFromBase64String(encoded, buffer, out var written) && written > 0 ? buffer[..written] : null;
    }

    /// <summary>The <c>webhook-signature</c> value GitLab would send (tests and tooling).</summary>
    public static string Sign(string signingSecret, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        var key = DecodeSigningKey(signingSecret) ?? throw new ArgumentException("not a whsec_ signing token", nameof(signingSecret));
        return "v1," + Convert.ToBase64String(ComputeSignature(key, id, timestamp.ToString(CultureInfo.InvariantCulture), body));
    }

    public WebhookVerification Verify(IHeaderDictionary headers, ReadOnlySpan<byte> body)
    {
        if (_tokenHash is not null)
        {
            var token = headers["X-Gitlab-Token"].ToString();
            if (token.Length == 0)
            {
                return WebhookVerification.Refused("missing X-Gitlab-Token");
            }

            if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(token)), _tokenHash))
            {
                return WebhookVerification.Refused("X-Gitlab-Token does not match");
            }
        }

        if (_signingKey is not null)
        {
            var signature = VerifySignature(headers, body, _signingKey);
            if (!signature.Accepted)
            {
                return signature;
            }
        }

        return WebhookVerification.Ok;
    }

    private WebhookVerification VerifySignature(IHeaderDictionary headers, ReadOnlySpan<byte> body, byte[] key)
    {
        var id = headers["webhook-id"].ToString();
        var timestamp = headers["webhook-timestamp"].ToString();
        var signatures = headers["webhook-signature"].ToString();
        if (id.Length == 0 || timestamp.Length == 0 || signatures.Length == 0)
        {
            return WebhookVerification.Refused("missing webhook-id, webhook-timestamp or webhook-signature");
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return WebhookVerification.Refused("webhook-timestamp is not a Unix time in seconds");
        }

        var skew = _time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253402300799));
        if (skew.Duration() > _options.SignatureTolerance)
        {
            return WebhookVerification.Refused($"webhook-timestamp is outside the accepted {_options.SignatureTolerance.TotalMinutes:0} minutes");
        }

        var expected = ComputeSignature(key, id, timestamp, body);
        var matched = false;
        foreach (var entry in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = entry.IndexOf(',', StringComparison.Ordinal);
            if (comma <= 0 || !entry.AsSpan(0, comma).SequenceEqual("v1"))
            {
                continue;
            }

            var encoded = entry[(comma + 1)..];
            var candidate = new byte[encoded.Length];
            if (Convert.TryFromBase64String(encoded, candidate, out var written)
                && CryptographicOperations.FixedTimeEquals(candidate.AsSpan(0, written), expected))
            {
                matched = true;
            }
        }

        return matched ? WebhookVerification.Ok : WebhookVerification.Refused("webhook-signature does not match");
    }

    private static byte[] ComputeSignature(byte[] key, string id, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return HMACSHA256.HashData(key, content);
    }
}
