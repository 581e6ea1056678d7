using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using ReviewBot.Pipeline.Intake;

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
/// Without either secret (the development switch) nothing is verified; the intake's start-up validation refuses that
/// unless <c>AllowUnauthenticatedWebhooks</c> is on.
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
    }

    /// <summary>True when a signing token is configured: deliveries carry a signed <c>webhook-id</c>.</summary>
    public bool IsSigned => _signingKey is not null;

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
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(SignedPrefix(id, timestamp.ToString(CultureInfo.InvariantCulture)));
        hmac.AppendData(body);
        return "v1," + Convert.ToBase64String(hmac.GetHashAndReset());
    }

    /// <summary>Checks a whole body at once (the intake checks it while streaming, through <see cref="Authenticate"/>).</summary>
    public WebhookVerification Verify(IHeaderDictionary headers, ReadOnlySpan<byte> body)
    {
        var authentication = Authenticate(headers);
        using var verifier = authentication.BodyVerifier;
        if (authentication.Refusal is { } refusal)
        {
            return WebhookVerification.Refused(refusal);
        }

        verifier?.Append(body);
        return verifier?.Finish() is { } mismatch ? WebhookVerification.Refused(mismatch) : WebhookVerification.Ok;
    }

    /// <summary>
    /// The header phase: the token is decided here; a signature is checked by the returned body verifier as the body
    /// streams in. Without any secret (development switch) nothing is verified.
    /// </summary>
    public WebhookAuthentication Authenticate(IHeaderDictionary headers)
    {
        if (_tokenHash is null && _signingKey is null)
        {
            return WebhookAuthentication.Unauthenticated;
        }

        if (_tokenHash is not null)
        {
            var token = headers["X-Gitlab-Token"].ToString();
            if (token.Length == 0)
            {
                return WebhookAuthentication.Refused("missing X-Gitlab-Token");
            }

            if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(token)), _tokenHash))
            {
                return WebhookAuthentication.Refused("X-Gitlab-Token does not match");
            }
        }

        return _signingKey is null ? WebhookAuthentication.Authenticated : AuthenticateSignature(headers, _signingKey);
    }

    private WebhookAuthentication AuthenticateSignature(IHeaderDictionary headers, byte[] key)
    {
        var id = headers["webhook-id"].ToString();
        var timestamp = headers["webhook-timestamp"].ToString();
        var signatures = headers["webhook-signature"].ToString();
        if (id.Length == 0 || timestamp.Length == 0 || signatures.Length == 0)
        {
            return WebhookAuthentication.Refused("missing webhook-id, webhook-timestamp or webhook-signature");
        }

        if (id.Length > MaxHeaderLength || signatures.Length > MaxHeaderLength * 8)
        {
            return WebhookAuthentication.Refused("webhook-id or webhook-signature is too long");
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return WebhookAuthentication.Refused("webhook-timestamp is not a Unix time in seconds");
        }

        var skew = _time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253402300799));
        if (skew.Duration() > _options.SignatureTolerance)
        {
            return WebhookAuthentication.Refused($"webhook-timestamp is outside the accepted {_options.SignatureTolerance.TotalMinutes:0} minutes");
        }

        var offered = new List<byte[]>();
        foreach (var entry in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = entry.IndexOf(',', StringComparison.Ordinal);
            var candidate = new byte[HMACSHA256.HashSizeInBytes];
            if (comma > 0 && entry.AsSpan(0, comma).SequenceEqual("v1")
                && Convert.TryFromBase64String(entry[(comma + 1)..], candidate, out var written) && written == candidate.Length)
            {
                offered.Add(candidate);
            }
        }

        return offered.Count == 0
            ? WebhookAuthentication.Refused("webhook-signature does not match")
            : WebhookAuthentication.VerifyBody(new HmacSha256BodyVerifier(key, SignedPrefix(id, timestamp), offered, "webhook-signature does not match"));
    }

    /// <summary>What Standard Webhooks sign before the body: <c>{id}.{timestamp}.</c></summary>
    private static byte[] SignedPrefix(string id, string timestamp) => Encoding.UTF8.GetBytes($"{id}.{timestamp}.");

    private const int MaxHeaderLength = ReviewBot.Pipeline.Intake.WebhookIntake.MaxHeaderLength;
}
