using ReviewBot.Core.Snapshot;
using ReviewBot.GitLab.Api;

namespace ReviewBot.GitLab;

/// <summary>Turns GitLab's <c>/diffs</c> entries into <see cref="ChangedFile"/>s: status, renames, line counts from the hunk text.</summary>
public static class DiffStats
{
    private const string SubmoduleMode = "160000";

    public static ChangedFile ToChangedFile(GlDiff diff)
    {
        var status = diff switch
        {
            { NewFile: true } => FileStatus.Added,
            { DeletedFile: true } => FileStatus.Removed,
            { RenamedFile: true } => FileStatus.Renamed,
            _ when TypeOf(diff.AMode) != TypeOf(diff.BMode) => FileStatus.TypeChanged,
            _ => FileStatus.Modified,
        };

        var text = diff.Diff;
        var truncated = diff.TooLarge == true || (diff.Collapsed == true && string.IsNullOrEmpty(text));
        var binary = text is not null && (text.StartsWith("Binary files ", StringComparison.Ordinal) || text.Contains("\nGIT binary patch", StringComparison.Ordinal));
        var (additions, deletions) = truncated || binary ? (0, 0) : Count(text);
        var path = status == FileStatus.Removed ? diff.OldPath ?? diff.NewPath : diff.NewPath ?? diff.OldPath;

        return new ChangedFile
        {
            Path = path ?? "",
            PreviousPath = status == FileStatus.Renamed ? diff.OldPath : null,
            Status = status,
            Additions = additions,
            Deletions = deletions,
            Patch = truncated || binary || string.IsNullOrEmpty(text) ? null : text,
            IsBinary = binary,
            IsSubmodule = diff.AMode == SubmoduleMode || diff.BMode == SubmoduleMode,
        };
    }

    /// <summary>Lines added and removed in unified-diff hunk text (file headers and "\ No newline" markers excluded).</summary>
    public static (int Additions, int Deletions) Count(string? diff)
    {
        if (string.IsNullOrEmpty(diff))
        {
            return (0, 0);
        }

        int additions = 0, deletions = 0;
        var inHunk = false;
        foreach (var line in diff.AsSpan().EnumerateLines())
        {
            if (line.StartsWith("@@"))
            {
                inHunk = true;
                continue;
            }

            if (!inHunk)
            {
                continue; // file headers ("--- a/x", "+++ b/x") before the first hunk
            }

            if (line.Length > 0 && line[0] == '+')
            {
                additions++;
            }
            else if (line.Length > 0 && line[0] == '-')
            {
                deletions++;
            }
        }

        return (additions, deletions);
    }

    /// <summary>Object type bits of a git mode: 100 file, 120 symlink, 160 gitlink; "0" (absent) is its own type.</summary>
    private static string TypeOf(string? mode) => mode is { Length: 6 } ? mode[..3] : mode ?? "";
}
