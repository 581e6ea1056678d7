using System.Text;
using ReviewBot.Core.Ports;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Cli.Mcp;

/// <summary>
/// A change given as a unified diff (as <c>git diff</c> prints it) together with the base contents of the files it
/// touches: the diff is applied to those contents to get the head side, so the analyzer sees both sides as it would
/// on a pull request. A hunk that does not apply to the given base is an argument error, never a guess.
/// </summary>
internal sealed class UnifiedDiffChange
{
    public const string BaseRevision = "diff-base";
    public const string HeadRevision = "diff-head";

    private readonly Dictionary<string, string> _base;
    private readonly Dictionary<string, string> _head;
    private readonly Dictionary<string, string> _given;

    private UnifiedDiffChange(IReadOnlyList<ChangedFile> files, Dictionary<string, string> baseFiles, Dictionary<string, string> headFiles, Dictionary<string, string> given)
    {
        Files = files;
        _base = baseFiles;
        _head = headFiles;
        _given = given;
    }

    public IReadOnlyList<ChangedFile> Files { get; }

    /// <summary>The contents of both sides, as a snapshot reads them.</summary>
    public IFileContentProvider Contents => new InMemoryFileContents(
        _base.Select(f => (new FileRequest(f.Key, Side.Base), f.Value))
            .Concat(_head.Select(f => (new FileRequest(f.Key, Side.Head), f.Value)))
            .ToDictionary(f => f.Item1, f => Encoding.UTF8.GetBytes(f.Item2)));

    /// <summary>The head side's files (for the rules as the change leaves them); any other revision reads <paramref name="other"/>.</summary>
    public IRevisionFiles HeadFilesOver(IRevisionFiles other) => new HeadRevisionFiles(_head, other);

    /// <summary>
    /// Both sides from the given contents: at <see cref="BaseRevision"/> every file given (a rules file among them is
    /// found there), at <see cref="HeadRevision"/> the files as the diff leaves them.
    /// </summary>
    public IRevisionFiles BothSides => new HeadRevisionFiles(_head, new BaseRevisionFiles(_given));

    /// <exception cref="UsageException">The diff has no file, names a file whose base is not given, or does not apply.</exception>
    public static UnifiedDiffChange Parse(string diff, IReadOnlyDictionary<string, string> baseContents)
    {
        var files = new List<ChangedFile>();
        var baseFiles = new Dictionary<string, string>(StringComparer.Ordinal);
        var headFiles = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = diff.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var i = 0;
        while (i < lines.Length)
        {
            if (!lines[i].StartsWith("--- ", StringComparison.Ordinal) || i + 1 >= lines.Length || !lines[i + 1].StartsWith("+++ ", StringComparison.Ordinal))
            {
                i++;
                continue;
            }

            var oldPath = PathOf(lines[i][4..], "a/");
            var newPath = PathOf(lines[i + 1][4..], "b/");
            i += 2;
            var patchStart = i;
            while (i < lines.Length && !lines[i].StartsWith("diff --git ", StringComparison.Ordinal)
                   && !(lines[i].StartsWith("--- ", StringComparison.Ordinal) && i + 1 < lines.Length && lines[i + 1].StartsWith("+++ ", StringComparison.Ordinal)))
            {
                i++;
            }

            var hunks = lines[patchStart..i];
            var path = newPath ?? oldPath ?? throw new UsageException("diff: a file section has /dev/null on both sides");
            string baseText = "";
            if (oldPath is not null && !baseContents.TryGetValue(oldPath, out baseText!))
            {
                throw new UsageException($"diff: the base contents of '{oldPath}' are not given (baseFiles must hold every file the diff changes, renames or deletes)");
            }

            var (headText, additions, deletions) = Apply(path, baseText, hunks);
            if (oldPath is not null)
            {
                baseFiles[oldPath] = baseText;
            }

            if (newPath is not null)
            {
                headFiles[newPath] = headText;
            }

            files.Add(new ChangedFile
            {
                Path = path,
                PreviousPath = oldPath is not null && newPath is not null && oldPath != newPath ? oldPath : null,
                Status = oldPath is null ? FileStatus.Added : newPath is null ? FileStatus.Removed : oldPath != newPath ? FileStatus.Renamed : FileStatus.Modified,
                Additions = additions,
                Deletions = deletions,
                Patch = string.Join('\n', hunks).TrimEnd('\n'),
            });
        }

        return files.Count > 0
            ? new UnifiedDiffChange(files, baseFiles, headFiles, new Dictionary<string, string>(baseContents, StringComparer.Ordinal))
            : throw new UsageException("diff: no file sections found (expected a unified diff with '--- a/PATH' and '+++ b/PATH' lines, as `git diff` prints)");
    }

    private static string? PathOf(string header, string prefix)
    {
        var path = header.Split('\t')[0].Trim();
        return path == "/dev/null" ? null : path.StartsWith(prefix, StringComparison.Ordinal) ? path[prefix.Length..] : path;
    }

    /// <summary>Applies the hunks in order; every context and removed line must match the base where the hunk says.</summary>
    private static (string Text, int Additions, int Deletions) Apply(string path, string baseText, string[] hunkLines)
    {
        var source = baseText.Length == 0 ? [] : baseText.Split('\n');
        var endsWithNewline = baseText.EndsWith('\n');
        if (endsWithNewline)
        {
            source = source[..^1];
        }

        var result = new List<string>();
        var next = 0; // the next base line (0-based) not yet copied
        int additions = 0, deletions = 0;
        for (var k = 0; k < hunkLines.Length; k++)
        {
            var line = hunkLines[k];
            if (line.StartsWith("@@ ", StringComparison.Ordinal))
            {
                var start = HunkStart(path, line);
                if (start < next || start > source.Length)
                {
                    throw new UsageException($"diff: {path}: hunk '{line}' starts at base line {start + 1}, outside the given base contents ({source.Length} lines) or before the previous hunk");
                }

                result.AddRange(source[next..start]);
                next = start;
            }
            else if (line.StartsWith('+'))
            {
                result.Add(line[1..]);
                additions++;
            }
            else if (line.StartsWith('-') || line.StartsWith(' ') || (line.Length == 0 && k < hunkLines.Length - 1))
            {
                var expected = line.Length == 0 ? "" : line[1..];
                if (next >= source.Length || source[next] != expected)
                {
                    throw new UsageException($"diff: {path}: the hunk does not apply to the given base contents at line {next + 1} (expected '{Shorten(expected)}')");
                }

                if (line.StartsWith('-'))
                {
                    deletions++;
                }
                else
                {
                    result.Add(expected);
                }

                next++;
            }
            else if (line.StartsWith("\\ No newline", StringComparison.Ordinal))
            {
                // Whether the very last line ends with a newline: the head keeps the base's ending (a close enough reading for analysis).
            }
        }

        result.AddRange(source[next..]);
        var text = string.Join('\n', result);
        return (result.Count > 0 && (endsWithNewline || baseText.Length == 0) ? text + "\n" : text, additions, deletions);
    }

    private static int HunkStart(string path, string header)
    {
        // @@ -start[,count] +start[,count] @@
        var minus = header.Split(' ')[1];
        var numbers = minus.TrimStart('-').Split(',');
        if (!int.TryParse(numbers[0], out var start) || (numbers.Length > 1 && !int.TryParse(numbers[1], out _)))
        {
            throw new UsageException($"diff: {path}: malformed hunk header '{header}' (expected '@@ -START,COUNT +START,COUNT @@')");
        }

        // A hunk of 0 base lines starts after line START; otherwise at line START (1-based).
        return numbers.Length > 1 && numbers[1] == "0" ? start : Math.Max(0, start - 1);
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";

    /// <summary>
    /// The head side from memory (only the files the diff touches: the rules locator reads the head only for those);
    /// every other revision from <paramref name="other"/>.
    /// </summary>
    private sealed class HeadRevisionFiles(Dictionary<string, string> head, IRevisionFiles other) : IRevisionFiles
    {
        public Task<RevisionFile?> ReadAsync(IReadOnlyList<string> paths, string revision, CancellationToken cancellationToken = default)
            => revision == HeadRevision
                ? Task.FromResult(paths.FirstOrDefault(head.ContainsKey) is { } path ? new RevisionFile(path, head[path], revision) : null)
                : other.ReadAsync(paths, revision, cancellationToken);
    }

    /// <summary>The base side from the contents the caller gave.</summary>
    private sealed class BaseRevisionFiles(Dictionary<string, string> files) : IRevisionFiles
    {
        public Task<RevisionFile?> ReadAsync(IReadOnlyList<string> paths, string revision, CancellationToken cancellationToken = default)
            => Task.FromResult(revision == BaseRevision && paths.FirstOrDefault(files.ContainsKey) is { } path ? new RevisionFile(path, files[path], revision) : null);
    }
}
