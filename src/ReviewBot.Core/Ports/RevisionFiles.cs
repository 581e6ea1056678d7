namespace ReviewBot.Core.Ports;

/// <summary>A file's path and text at a revision, and the id of what was read (blob or commit id, for the audit log).</summary>
public sealed record RevisionFile(string Path, string Text, string Revision);

/// <summary>
/// Reads a file's text at a revision of one repository. The only port the rules locator uses: each platform
/// adapter (GitHub, GitLab) and the local git repository implement it.
/// </summary>
public interface IRevisionFiles
{
    /// <summary>
    /// The first of <paramref name="paths"/> (candidate names of one file, in order) that exists as of
    /// <paramref name="revision"/> (a commit SHA, or "HEAD" for the default branch); null when none does. A platform
    /// may ask for all candidates in one request.
    /// </summary>
    Task<RevisionFile?> ReadAsync(IReadOnlyList<string> paths, string revision, CancellationToken cancellationToken = default);
}
