using System.Text.RegularExpressions;

namespace ReviewBot.Core.Risk.Analysis;

/// <summary>
/// A text change that only moves version numbers (target frameworks, SDK and tool versions, <c>@v4</c> → <c>@v5</c>):
/// the removed and added lines are the same once every version (and every list of them) is blanked out.
/// </summary>
internal static partial class VersionBump
{
    public static bool Only(string? baseText, string? headText)
    {
        if (baseText is null || headText is null || baseText == headText)
        {
            return false;
        }

        var removed = Lines(baseText);
        var added = Lines(headText);
        foreach (var line in Lines(baseText, keep: false))
        {
            if (added.TryGetValue(line, out var n) && n > 0)
            {
                added[line] = n - 1;
                removed[line]--;
            }
        }

        var gone = removed.Where(e => e.Value > 0).SelectMany(e => Enumerable.Repeat(Blank(e.Key), e.Value)).Order(StringComparer.Ordinal).ToList();
        var come = added.Where(e => e.Value > 0).SelectMany(e => Enumerable.Repeat(Blank(e.Key), e.Value)).Order(StringComparer.Ordinal).ToList();
        return (gone.Count > 0 || come.Count > 0) && gone.SequenceEqual(come, StringComparer.Ordinal);
    }

    private static Dictionary<string, int> Lines(string text)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in Lines(text, keep: true))
        {
            counts[line] = counts.GetValueOrDefault(line) + 1;
        }

        return counts;
    }

    private static IEnumerable<string> Lines(string text, bool keep)
        => text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 || !keep);

    private static string Blank(string line) => VersionList().Replace(line, "#");

    [GeneratedRegex(@"(?:(?:net|netstandard|netcoreapp|v)?\d+(?:\.\d+)*(?:-[0-9A-Za-z.]+)?)(?:\s*[;,]\s*(?:(?:net|netstandard|netcoreapp|v)?\d+(?:\.\d+)*(?:-[0-9A-Za-z.]+)?))*", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex VersionList();
}
