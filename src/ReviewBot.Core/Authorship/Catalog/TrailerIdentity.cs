using System.Text.RegularExpressions;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Authorship.Catalog;

/// <summary>The "Name &lt;email&gt;" of a <c>Co-authored-by</c> / <c>Signed-off-by</c> trailer.</summary>
public sealed partial record TrailerIdentity(string Name, string? Email)
{
    public static bool IsCoAuthor(Trailer trailer) => trailer.Key.Equals("Co-authored-by", StringComparison.OrdinalIgnoreCase);

    public static TrailerIdentity Parse(string value)
    {
        var match = NameEmail().Match(value.Trim());
        return match.Success
            ? new(match.Groups["name"].Value.Trim(), match.Groups["email"].Value.Trim())
            : new(value.Trim(), null);
    }

    /// <summary>The co-authors named by a commit's trailers.</summary>
    public static IEnumerable<(Trailer Trailer, TrailerIdentity Identity)> CoAuthors(Commit commit)
        => commit.Trailers.Where(IsCoAuthor).Select(t => (t, Parse(t.Value)));

    /// <summary>
    /// An address no real tool uses (example.com, .invalid, localhost …): what models write when they
    /// invent an attribution. The agent it names may be wrong.
    /// </summary>
    public bool HasPlaceholderAddress => Email is { } e && PlaceholderDomain().IsMatch(e);

    /// <summary>As a person: the login from a noreply address, else the name, else the email.</summary>
    public string Label => NoreplyAddress.TryParse(Email, out var noreply) ? noreply.Login
        : Name.Length > 0 ? Name : Email ?? "";

    public override string ToString() => Email is null ? Name : $"{Name} <{Email}>";

    [GeneratedRegex(@"^(?<name>[^<]*)<(?<email>[^>]*)>\s*$")]
    private static partial Regex NameEmail();

    [GeneratedRegex(@"@(?:[\w.-]+\.)?(?:example\.(?:com|org|net)|[\w-]+\.(?:example|invalid|test|localhost)|localhost)$|@example$", RegexOptions.IgnoreCase)]
    private static partial Regex PlaceholderDomain();
}
