using System.Text.RegularExpressions;

namespace ReviewBot.Core.Authorship.Catalog;

/// <summary>A GitHub noreply address: <c>ID+login@users.noreply.github.com</c> (or the old <c>login@…</c>).</summary>
public readonly partial record struct NoreplyAddress(long? Id, string Login)
{
    public bool IsBot => Login.EndsWith("[bot]", StringComparison.OrdinalIgnoreCase);

    public static bool TryParse(string? email, out NoreplyAddress address)
    {
        address = default;
        if (email is null)
        {
            return false;
        }

        var match = Pattern().Match(email.Trim());
        if (!match.Success)
        {
            return false;
        }

        long? id = match.Groups["id"].Success && long.TryParse(match.Groups["id"].Value, out var n) ? n : null;
        address = new NoreplyAddress(id, match.Groups["login"].Value);
        return true;
    }

    [GeneratedRegex(@"^(?:(?<id>\d+)\+)?(?<login>[^@\s]+)@users\.noreply\.github\.com$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
