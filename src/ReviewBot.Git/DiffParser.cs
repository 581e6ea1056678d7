using System.Text;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Git;

/// <summary>One entry of <c>git diff --raw</c>: modes, object ids, status and paths at both sides.</summary>
internal sealed record RawDiffEntry(
    string OldMode,
    string NewMode,
    string OldId,
    string NewId,
    char Status,
    string? OldPath,
    string NewPath)
{
    public const string GitlinkMode = "160000";

    public bool IsSubmodule => OldMode == GitlinkMode || NewMode == GitlinkMode;

    /// <summary>Patch sections git prints for this entry: a type change is printed as a deletion and a creation.</summary>
    public int PatchSections => Status == 'T' ? 2 : 1;

    public static bool IsNullId(string id) => id.Length > 0 && id.All(c => c == '0');
}

/// <summary>
/// Parses <c>git diff --raw --numstat -z -M -C</c> (one call gives statuses, modes, object ids and line counts)
/// and splits the matching <c>git diff -p</c> output into per-file hunks. Both lists come from the same
/// diff queue, so they are in the same order.
/// </summary>
internal static class DiffParser
{
    public static IReadOnlyList<string> RawArguments(string from, string to)
        => ["diff", "--raw", "--numstat", "-z", "-M", "-C", "--no-abbrev", "--no-ext-diff", "--no-textconv",
            "--no-color", "--ignore-submodules=none", from, to, "--"];

    public static IReadOnlyList<string> PatchArguments(string from, string to)
        => ["diff", "-p", "-M", "-C", "--no-ext-diff", "--no-textconv", "--no-color", "--ignore-submodules=none",
            "--submodule=short", from, to, "--"];

    public static (List<RawDiffEntry> Entries, List<(int Additions, int Deletions, bool Binary)> Stats) ParseRawAndNumstat(ReadOnlySpan<byte> output)
    {
        var tokens = SplitNul(output);
        var entries = new List<RawDiffEntry>();
        var stats = new List<(int, int, bool)>();
        var i = 0;
        while (i < tokens.Count && tokens[i].StartsWith(':'))
        {
            // ":100644 100644 <old> <new> R087"
            var header = tokens[i++][1..].Split(' ');
            if (header.Length < 5)
            {
                throw new GitCommandException($"unexpected git diff --raw entry: {tokens[i - 1]}");
            }

            var status = header[4][0];
            string? oldPath = null;
            string newPath;
            if (status is 'R' or 'C')
            {
                oldPath = tokens[i++];
                newPath = tokens[i++];
            }
            else
            {
                newPath = tokens[i++];
                oldPath = newPath;
            }

            entries.Add(new RawDiffEntry(header[0], header[1], header[2], header[3], status, oldPath, newPath));
        }

        while (i < tokens.Count)
        {
            // "added\tdeleted\tpath" or, for renames and copies, "added\tdeleted\t" followed by two path tokens.
            var parts = tokens[i++].Split('\t', 3);
            if (parts.Length < 3)
            {
                if (parts.Length == 1 && parts[0].Length == 0)
                {
                    continue;
                }

                throw new GitCommandException($"unexpected git diff --numstat entry: {string.Join("\\t", parts)}");
            }

            if (parts[2].Length == 0)
            {
                i += 2;
            }

            var binary = parts[0] == "-" && parts[1] == "-";
            stats.Add((binary ? 0 : int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture),
                       binary ? 0 : int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture),
                       binary));
        }

        if (stats.Count != entries.Count)
        {
            throw new GitCommandException($"unexpected git diff output: {entries.Count} raw entries but {stats.Count} numstat entries");
        }

        return (entries, stats);
    }

    /// <summary>
    /// Splits a patch into one hunk text per raw entry (null when an entry has no hunks: binary, pure rename,
    /// mode change), or null for all when the sections do not line up with the entries.
    /// </summary>
    public static IReadOnlyList<string?>? SplitPatch(ReadOnlySpan<byte> patch, IReadOnlyList<RawDiffEntry> entries, int maxPatchBytes)
    {
        var sections = SplitSections(patch);
        if (sections.Count != entries.Sum(e => e.PatchSections))
        {
            return null;
        }

        var result = new List<string?>(entries.Count);
        var next = 0;
        foreach (var entry in entries)
        {
            var hunks = new StringBuilder();
            var any = false;
            var tooLarge = false;
            for (var s = 0; s < entry.PatchSections; s++)
            {
                var (start, length) = sections[next++];
                var section = patch.Slice(start, length);
                if (section.Length > maxPatchBytes)
                {
                    tooLarge = true;
                    continue;
                }

                var hunkStart = IndexOfLineStartingWith(section, "@@ "u8);
                if (hunkStart >= 0)
                {
                    hunks.Append(GitText.Decode(section[hunkStart..]));
                    any = true;
                }
            }

            result.Add(any && !tooLarge ? hunks.ToString() : null);
        }

        return result;
    }

    private static List<(int Start, int Length)> SplitSections(ReadOnlySpan<byte> patch)
    {
        var starts = new List<int>();
        var lineStart = 0;
        while (lineStart < patch.Length)
        {
            if (patch[lineStart..].StartsWith("diff --git "u8))
            {
                starts.Add(lineStart);
            }

            var newline = patch[lineStart..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                break;
            }

            lineStart += newline + 1;
        }

        var sections = new List<(int, int)>(starts.Count);
        for (var k = 0; k < starts.Count; k++)
        {
            var end = k + 1 < starts.Count ? starts[k + 1] : patch.Length;
            sections.Add((starts[k], end - starts[k]));
        }

        return sections;
    }

    private static int IndexOfLineStartingWith(ReadOnlySpan<byte> text, ReadOnlySpan<byte> prefix)
    {
        var lineStart = 0;
        while (lineStart < text.Length)
        {
            if (text[lineStart..].StartsWith(prefix))
            {
                return lineStart;
            }

            var newline = text[lineStart..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                return -1;
            }

            lineStart += newline + 1;
        }

        return -1;
    }

    public static FileStatus ToStatus(char status) => status switch
    {
        'A' => FileStatus.Added,
        'D' => FileStatus.Removed,
        'R' => FileStatus.Renamed,
        'C' => FileStatus.Copied,
        'T' => FileStatus.TypeChanged,
        _ => FileStatus.Modified,
    };

    private static List<string> SplitNul(ReadOnlySpan<byte> output)
    {
        var tokens = new List<string>();
        while (!output.IsEmpty)
        {
            var nul = output.IndexOf((byte)0);
            tokens.Add(GitText.Decode(nul < 0 ? output : output[..nul]));
            output = nul < 0 ? [] : output[(nul + 1)..];
        }

        return tokens;
    }
}
