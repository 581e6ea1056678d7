namespace ReviewBot.Core.Snapshot;

/// <summary>
/// Parses git trailers (<c>Key: value</c>) from a commit message with git's own rules
/// (<c>git interpret-trailers --parse</c>, <c>%(trailers)</c>):
/// <list type="bullet">
/// <item>Only the last paragraph can hold trailers, and never the first (the title) paragraph.</item>
/// <item>A trailer line starts with a token of letters, digits and <c>-</c>, optional spaces, then <c>:</c>.</item>
/// <item>The paragraph is a trailer block when every line is a trailer (or a continuation line: leading
/// whitespace, folded into the previous value), or when at least a quarter of its lines are trailers and one
/// of them is git-generated (<c>Signed-off-by:</c>, <c>(cherry picked from commit …)</c>).</item>
/// <item>Trailing comment lines (<c>#</c>), everything below a scissors line, and a patch after a <c>---</c>
/// divider are ignored.</item>
/// </list>
/// So "Note: see below" inside a prose paragraph is not a trailer, while a final paragraph of
/// <c>Co-authored-by:</c> lines is.
/// </summary>
public static class TrailerParser
{
    private static readonly string[] GitGeneratedPrefixes = ["Signed-off-by: ", "(cherry picked from commit "];

    private const string Scissors = "# ------------------------ >8 ------------------------";

    /// <summary>The trailers of <paramref name="message"/>, in order; empty when it has no trailer block.</summary>
    public static IReadOnlyList<Trailer> Parse(string? message)
    {
        if (string.IsNullOrEmpty(message))
        {
            return [];
        }

        var lines = SplitLines(message);
        var end = EndOfMessage(lines);
        var start = StartOfTrailerBlock(lines, end);
        return start < 0 ? [] : ParseBlock(lines, start, end);
    }

    private static List<string> SplitLines(string message)
    {
        var lines = new List<string>(message.Split('\n'));
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        for (var i = 0; i < lines.Count; i++)
        {
            lines[i] = lines[i].TrimEnd('\r');
        }

        return lines;
    }

    /// <summary>Index one past the last line that belongs to the message proper.</summary>
    private static int EndOfMessage(List<string> lines)
    {
        var end = lines.Count;
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i] == Scissors || (IsPatchDivider(lines[i]) && PatchFollows(lines, i + 1)))
            {
                end = i;
                break;
            }
        }

        // Trailing comments and blank lines are not part of the message.
        while (end > 0 && (IsBlank(lines[end - 1]) || IsComment(lines[end - 1])))
        {
            end--;
        }

        return end;
    }

    private static bool IsPatchDivider(string line)
        => line.StartsWith("---", StringComparison.Ordinal) && (line.Length == 3 || char.IsWhiteSpace(line[3]));

    /// <summary>A <c>---</c> line only ends the message when a patch follows it (format-patch / mailed commits).</summary>
    private static bool PatchFollows(List<string> lines, int from)
    {
        for (var i = from; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.StartsWith("diff --git ", StringComparison.Ordinal)
                || line.StartsWith("Index: ", StringComparison.Ordinal)
                || line.StartsWith("@@ ", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>git's find_trailer_block_start: index of the first line of the trailer block, or -1.</summary>
    private static int StartOfTrailerBlock(List<string> lines, int end)
    {
        // The first paragraph is the title and cannot be trailers.
        var endOfTitle = 0;
        while (endOfTitle < end && (IsComment(lines[endOfTitle]) || !IsBlank(lines[endOfTitle])))
        {
            endOfTitle++;
        }

        var onlySpaces = true;
        var recognizedPrefix = false;
        int trailerLines = 0, nonTrailerLines = 0, possibleContinuationLines = 0;
        for (var i = end - 1; i >= endOfTitle; i--)
        {
            var line = lines[i];
            if (IsComment(line))
            {
                nonTrailerLines += possibleContinuationLines;
                possibleContinuationLines = 0;
                continue;
            }

            if (IsBlank(line))
            {
                if (onlySpaces)
                {
                    continue;
                }

                nonTrailerLines += possibleContinuationLines;
                var isBlock = (recognizedPrefix && trailerLines * 3 >= nonTrailerLines)
                    || (trailerLines > 0 && nonTrailerLines == 0);
                return isBlock ? i + 1 : -1;
            }

            onlySpaces = false;
            if (GitGeneratedPrefixes.Any(p => line.StartsWith(p, StringComparison.Ordinal)))
            {
                trailerLines++;
                possibleContinuationLines = 0;
                recognizedPrefix = true;
            }
            else if (SeparatorIndex(line) >= 1)
            {
                trailerLines++;
                possibleContinuationLines = 0;
            }
            else if (char.IsWhiteSpace(line[0]))
            {
                possibleContinuationLines++;
            }
            else
            {
                nonTrailerLines += 1 + possibleContinuationLines;
                possibleContinuationLines = 0;
            }
        }

        // Reached the title without a blank line: the message is a single paragraph, no trailers.
        return -1;
    }

    private static List<Trailer> ParseBlock(List<string> lines, int start, int end)
    {
        var result = new List<Trailer>();
        string? key = null;
        string? value = null;
        for (var i = start; i < end; i++)
        {
            var line = lines[i];
            if (IsComment(line) || IsBlank(line))
            {
                continue;
            }

            if (char.IsWhiteSpace(line[0]) && key is not null)
            {
                value = value!.Length == 0 ? line.Trim() : value + " " + line.Trim();
                continue;
            }

            Flush();
            var separator = SeparatorIndex(line);
            if (separator >= 1)
            {
                key = line[..separator].TrimEnd();
                value = line[(separator + 1)..].Trim();
            }
        }

        Flush();
        return result;

        void Flush()
        {
            if (key is not null)
            {
                result.Add(new Trailer(key, value ?? ""));
            }

            key = null;
            value = null;
        }
    }

    /// <summary>
    /// git's find_separator: position of ':' after a token of [A-Za-z0-9-] and optional whitespace; -1 when the
    /// line is not shaped like a trailer (leading whitespace, other characters in the token, no separator).
    /// </summary>
    private static int SeparatorIndex(string line)
    {
        var whitespaceFound = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == ':')
            {
                return i;
            }

            if (!whitespaceFound && (char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                continue;
            }

            if (i != 0 && (c == ' ' || c == '\t'))
            {
                whitespaceFound = true;
                continue;
            }

            break;
        }

        return -1;
    }

    private static bool IsBlank(string line) => string.IsNullOrWhiteSpace(line);

    private static bool IsComment(string line) => line.StartsWith('#');
}
