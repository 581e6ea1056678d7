namespace ReviewBot.Git;

/// <summary>
/// An expected failure of the local git source, worded for the person at the terminal (one line, no stack
/// trace needed). The CLI maps every one of these to exit code 2.
/// </summary>
public abstract class GitSourceException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The directory does not exist or is not inside a git repository.</summary>
public sealed class NotAGitRepositoryException(string path, string? detail = null)
    : GitSourceException($"not a git repository: {path}" + (string.IsNullOrWhiteSpace(detail) ? "" : $" ({detail})"))
{
    public string RepositoryPath { get; } = path;
}

/// <summary>A ref, SHA or revision expression that does not name a commit in the repository.</summary>
public sealed class UnknownRevisionException(string revision, string repositoryPath)
    : GitSourceException($"unknown revision '{revision}' in {repositoryPath}: no branch, tag or commit has that name")
{
    public string Revision { get; } = revision;
}

/// <summary>A range that is not of the form <c>BASE..HEAD</c> (or <c>BASE...HEAD</c>).</summary>
public sealed class InvalidRangeException(string range, string reason)
    : GitSourceException($"invalid range '{range}': {reason} (expected BASE..HEAD, e.g. main..feature)")
{
    public string Range { get; } = range;
}

/// <summary>The history needed to compare the refs is not in the repository (a shallow clone without the merge base).</summary>
public sealed class IncompleteHistoryException(string message) : GitSourceException(message);

/// <summary>git itself failed (missing executable, corrupt repository, unexpected output).</summary>
public sealed class GitCommandException(string message, int exitCode = -1, Exception? inner = null)
    : GitSourceException(message, inner)
{
    public int ExitCode { get; } = exitCode;
}
