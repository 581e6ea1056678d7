namespace ReviewBot.Core.Snapshot;

public enum FileStatus
{
    Added,
    Modified,
    Removed,
    Renamed,
    Copied,
    TypeChanged,
}

/// <summary>One file of the change. Contents are not carried here: ask <see cref="IFileContentProvider"/>.</summary>
public sealed record ChangedFile
{
    /// <summary>Path in head (for removed files, the path in base).</summary>
    public required string Path { get; init; }

    /// <summary>Path in base when renamed or copied.</summary>
    public string? PreviousPath { get; init; }

    public required FileStatus Status { get; init; }
    public int Additions { get; init; }
    public int Deletions { get; init; }

    /// <summary>Unified diff hunk text when known (null for binary files or when the platform truncates).</summary>
    public string? Patch { get; init; }

    public bool IsBinary { get; init; }

    /// <summary>A submodule (gitlink) entry rather than a file.</summary>
    public bool IsSubmodule { get; init; }

    /// <summary>
    /// Path of this file on the base side: previous path for renames, null for additions and copies. A copy's source is
    /// still there (git reports a copy only of a file that stays), so the copy is new content: compared with its source
    /// it would report the source's members as removed and hide the code it copies as "already in base".
    /// </summary>
    public string? BasePath => Status switch
    {
        FileStatus.Added or FileStatus.Copied => null,
        FileStatus.Renamed => PreviousPath ?? Path,
        _ => Path,
    };

    /// <summary>Path of this file on the head side, null for removals.</summary>
    public string? HeadPath => Status == FileStatus.Removed ? null : Path;

    public int ChangedLines => Additions + Deletions;
}
