using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Pipeline.Details;

/// <summary>
/// Settings of the details page (<c>ReviewBot:Details</c>, docs/details-page.md): where the host is reachable, the
/// keys its links are signed with, and how long a link stays valid.
/// </summary>
public sealed class DetailsOptions
{
    public const string SectionName = "ReviewBot:Details";

    /// <summary>Shortest key accepted (characters): a signing key is a secret, not a password.</summary>
    public const int MinimumKeyLength = 32;

    /// <summary>
    /// The host's public base URL (e.g. <c>https://reviewbot.example.com</c>). Set: every evaluation links its check run
    /// (GitHub) or commit status (GitLab) to the page. Unset: nothing is linked.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>Signing keys, newest first: links are signed with the first and accepted under any (rotation).</summary>
    public List<string> Keys { get; set; } = [];

    /// <summary>How long a link stays valid (at least; see <see cref="DetailsLinks.Create"/>).</summary>
    public TimeSpan Validity { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Whether the page is served: any signing key is configured.</summary>
    public bool Enabled => Keys.Any(k => !string.IsNullOrEmpty(k));

    /// <summary>What stops the host from starting: a base URL without a key, a short key, a bad URL or validity.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!string.IsNullOrWhiteSpace(BaseUrl))
        {
            if (!Enabled)
            {
                problems.Add($"{SectionName}:BaseUrl is set but no signing key is: set {SectionName}:Keys:0 (at least {MinimumKeyLength} characters) or remove the base URL.");
            }

            if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            {
                problems.Add($"{SectionName}:BaseUrl must be an absolute http(s) URL without query or fragment.");
            }
        }

        // The keys are never echoed: only their positions.
        for (var i = 0; i < Keys.Count; i++)
        {
            if (Keys[i] is { } key && key.Length < MinimumKeyLength)
            {
                problems.Add($"{SectionName}:Keys:{i} is shorter than {MinimumKeyLength} characters.");
            }
        }

        if (Validity <= TimeSpan.Zero)
        {
            problems.Add($"{SectionName}:Validity must be positive (default 30.00:00:00).");
        }

        return problems;
    }
}

/// <summary>How a presented link fares.</summary>
public enum DetailsLinkCheck
{
    Valid,

    /// <summary>No signature, a malformed one, or one no configured key made.</summary>
    Invalid,

    /// <summary>Genuinely signed, but its expiry has passed.</summary>
    Expired,
}

/// <summary>
/// Signed links to the details page: <c>{BaseUrl}/reviews/{platform}/{repository path}/{number}?expires=…&amp;sig=…</c>,
/// where <c>sig</c> is the base64url HMAC-SHA256, under a server key, of the platform, repository (lower case),
/// number and expiry (Unix seconds). Verification compares in constant time against every configured key.
/// </summary>
public sealed class DetailsLinks(DetailsOptions options, TimeProvider time)
{
    public const string RoutePrefix = "/reviews";

    /// <summary>
    /// A fresh signed link, or null when no base URL (or key) is configured. The expiry is rounded up to the next UTC
    /// midnight: a link is valid for at least <see cref="DetailsOptions.Validity"/> and changes at most once a day, so
    /// an unchanged decision re-posts an unchanged GitLab status (a changed one would fire another pipeline hook).
    /// </summary>
    public string? Create(Platform platform, string repository, long number)
    {
        if (string.IsNullOrWhiteSpace(options.BaseUrl) || !options.Enabled)
        {
            return null;
        }

        var until = time.GetUtcNow() + options.Validity;
        var day = new DateTimeOffset(until.UtcDateTime.Date, TimeSpan.Zero);
        var expires = (day < until ? day.AddDays(1) : day).ToUnixTimeSeconds();
        var signature = Base64Url.EncodeToString(Sign(options.Keys.First(k => !string.IsNullOrEmpty(k)), platform.Id, repository, number, expires));
        return $"{options.BaseUrl!.TrimEnd('/')}{PathOf(platform, repository, number)}?expires={expires.ToString(CultureInfo.InvariantCulture)}&sig={signature}";
    }

    /// <summary>The page's path: each segment of the repository path escaped (GitLab's nested groups keep their slashes).</summary>
    public static string PathOf(Platform platform, string repository, long number)
        => $"{RoutePrefix}/{platform.Id}/{string.Join('/', repository.Split('/').Select(Uri.EscapeDataString))}/{number.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Checks a presented signature and expiry; the signature first, so only a genuine link learns it expired.</summary>
    public DetailsLinkCheck Verify(string platform, string repository, long number, string? expires, string? signature)
    {
        if (string.IsNullOrEmpty(expires) || string.IsNullOrEmpty(signature)
            || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt)
            || FromBase64Url(signature) is not { Length: HMACSHA256.HashSizeInBytes } offered)
        {
            return DetailsLinkCheck.Invalid;
        }

        var matched = false;
        foreach (var key in options.Keys.Where(k => !string.IsNullOrEmpty(k)))
        {
            // No early exit: every key is tried, each comparison in constant time.
            matched |= CryptographicOperations.FixedTimeEquals(Sign(key, platform, repository, number, expiresAt), offered);
        }

        if (!matched)
        {
            return DetailsLinkCheck.Invalid;
        }

        return time.GetUtcNow().ToUnixTimeSeconds() < expiresAt ? DetailsLinkCheck.Valid : DetailsLinkCheck.Expired;
    }

    private static byte[] Sign(string key, string platform, string repository, long number, long expires)
    {
        var message = string.Join('\n', platform.ToLowerInvariant(), repository.ToLowerInvariant(), number.ToString(CultureInfo.InvariantCulture), expires.ToString(CultureInfo.InvariantCulture));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(message));
    }

    private static byte[]? FromBase64Url(string text)
    {
        try
        {
            return text.Length <= 64 ? Base64Url.DecodeFromChars(text) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
