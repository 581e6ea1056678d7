using System.Text.RegularExpressions;

namespace ReviewBot.Storage;

/// <summary>
/// Last line of defence before text reaches the audit store: masks anything shaped like a token, key or
/// credential (GitHub/GitLab tokens, bearer/basic headers, PEM private keys, connection-string keys, URL user info).
/// </summary>
public static partial class SecretRedactor
{
    public const string Mask = "[redacted]";

    public static string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        var result = PemKey().Replace(text, Mask);
        result = PlatformToken().Replace(result, Mask);
        result = AuthorizationValue().Replace(result, m => m.Groups["scheme"].Value + " " + Mask);
        result = KeyValueSecret().Replace(result, m => m.Groups["key"].Value + "=" + Mask);
        result = UrlUserInfo().Replace(result, m => m.Groups["scheme"].Value + Mask + "@");
        return result;
    }

    public static IReadOnlyList<string> Redact(IReadOnlyList<string> lines)
        => lines.Select(l => Redact(l) ?? "").ToArray();

    [GeneratedRegex(@"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)")]
    private static partial Regex PemKey();

    [GeneratedRegex(@"\b(gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_\-]{16,}|gl(?:oas|dt|rt|ptt|cbt)-[A-Za-z0-9_\-]{16,}|eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,})")]
    private static partial Regex PlatformToken();

    [GeneratedRegex(@"(?<scheme>\b(?:Bearer|Basic|token))\s+[A-Za-z0-9_\-\.=+/]{8,}", RegexOptions.IgnoreCase)]
    private static partial Regex AuthorizationValue();

    [GeneratedRegex(@"(?<key>\b(?:AccountKey|SharedAccessSignature|sig|password|pwd|secret|client_secret|private_token|access_token)\s*)=\s*[^;&\s""']+", RegexOptions.IgnoreCase)]
    private static partial Regex KeyValueSecret();

    [GeneratedRegex(@"(?<scheme>\bhttps?://)[^/@\s:]+:[^/@\s]+@", RegexOptions.IgnoreCase)]
    private static partial Regex UrlUserInfo();
}
