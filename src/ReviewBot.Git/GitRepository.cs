using ReviewBot.Core.Ports;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Git;

/// <summary>Optional facts a local range cannot know by itself (there is no pull request).</summary>
public sealed record LocalRangeOptions
{
    /// <summary>Title; default: the subject of the newest commit of the range.</summary>
    public string? Title { get; init; }

    /// <summary>Body; default empty (the commits' messages are already in the snapshot).</summary>
    public string? Body { get; init; }

    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>
    /// Who "opened" the change; default unknown. A local range has no opener, and borrowing a commit's author
    /// would count that unauthenticated identity twice (as the PR author and as the commit author).
    /// </summary>
    public Person? Author { get; init; }

    /// <summary>Head branch name (branch-prefix signals); default: the head ref's branch name, else the text given.</summary>
    public string? HeadRefName { get; init; }

    /// <summary>Repository name in the snapshot; default: the repository's directory.</summary>
    public string? RepositoryName { get; init; }

    /// <summary>Per-file patch text larger than this is left out (<see cref="ChangedFile.Patch"/> null), as platforms do.</summary>
    public int MaxPatchBytes { get; init; } = 1024 * 1024;
}

/// <summary>
/// A local git repository (work tree or bare) read through the <c>git</c> CLI: resolves refs, builds a
/// <see cref="PullRequestSnapshot"/> (platform Local) for a <c>base..head</c> range as a pull request
/// would show it, and reads a file's text at a revision (the port the rules locator reads rules through).
/// </summary>
public sealed class GitRepository : IRevisionFiles
{
    private readonly GitRunner _git;

    private GitRepository(string path, string gitDirectory, bool isBare)
    {
        Path = path;
        GitDirectory = gitDirectory;
        IsBare = isBare;
        _git = new GitRunner(path);
    }

    /// <summary>The top of the work tree, or the repository directory when bare.</summary>
    public string Path { get; }

    public string GitDirectory { get; }

    public bool IsBare { get; }

    /// <summary>Opens the repository containing <paramref name="path"/>; <see cref="NotAGitRepositoryException"/> when there is none.</summary>
    public static async Task<GitRepository> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new NotAGitRepositoryException("(empty path)");
        }

        var full = System.IO.Path.GetFullPath(path);
        if (!Directory.Exists(full))
        {
            throw new NotAGitRepositoryException(path, "no such directory");
        }

        var probe = new GitRunner(full);
        var result = await probe.RunAsync(["rev-parse", "--is-bare-repository", "--absolute-git-dir"], null, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            var detail = result.Stderr.Trim();
            throw new NotAGitRepositoryException(path, detail.Contains("not a git repository", StringComparison.OrdinalIgnoreCase) ? null : GitRunner.FirstLine(detail));
        }

        var lines = result.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var isBare = lines.Length > 0 && lines[0].Trim() == "true";
        var gitDir = lines.Length > 1 ? lines[1].Trim() : full;
        if (isBare)
        {
            return new GitRepository(gitDir, gitDir, isBare: true);
        }

        var top = await probe.RunAsync(["rev-parse", "--show-toplevel"], null, cancellationToken).ConfigureAwait(false);
        var workTree = top.ExitCode == 0 ? top.StdoutText.Trim() : full;
        return new GitRepository(workTree.Length == 0 ? full : workTree, gitDir, isBare: false);
    }

    /// <summary>The full SHA of the commit <paramref name="revision"/> names; <see cref="UnknownRevisionException"/> when none.</summary>
    public async Task<string> ResolveCommitAsync(string revision, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(revision) || revision.StartsWith('-') || revision.Contains('\n'))
        {
            throw new UnknownRevisionException(revision, Path);
        }

        var result = await _git.RunAsync(["rev-parse", "--verify", "-q", "--end-of-options", revision + "^{commit}"], null, cancellationToken).ConfigureAwait(false);
        var sha = result.StdoutText.Trim();
        if (result.ExitCode != 0 || sha.Length == 0)
        {
            throw new UnknownRevisionException(revision, Path);
        }

        return sha;
    }

    /// <summary>The branch (or tag) name a revision stands for: "feature" for refs/heads/feature or origin/feature; else the text given.</summary>
    public async Task<string> RefNameAsync(string revision, CancellationToken cancellationToken = default)
    {
        if (revision.StartsWith('-'))
        {
            return revision;
        }

        // rev-parse echoes "--end-of-options" in this mode, so the leading dash is ruled out above instead.
        var result = await _git.RunAsync(["rev-parse", "--symbolic-full-name", revision], null, cancellationToken).ConfigureAwait(false);
        var full = result.ExitCode == 0 ? result.StdoutText.Trim() : "";
        return ShortRefName(full) ?? revision;
    }

    internal static string? ShortRefName(string fullName)
    {
        if (fullName.StartsWith("refs/heads/", StringComparison.Ordinal))
        {
            return fullName["refs/heads/".Length..];
        }

        if (fullName.StartsWith("refs/remotes/", StringComparison.Ordinal))
        {
            var rest = fullName["refs/remotes/".Length..];
            var slash = rest.IndexOf('/');
            return slash < 0 ? rest : rest[(slash + 1)..];
        }

        if (fullName.StartsWith("refs/tags/", StringComparison.Ordinal))
        {
            return fullName["refs/tags/".Length..];
        }

        return null;
    }

    public Task<PullRequestSnapshot> LoadRangeAsync(string range, LocalRangeOptions? options = null, CancellationToken cancellationToken = default)
        => LoadRangeAsync(GitRange.Parse(range), options, cancellationToken);

    public Task<PullRequestSnapshot> LoadRangeAsync(string baseRevision, string headRevision, LocalRangeOptions? options = null, CancellationToken cancellationToken = default)
        => LoadRangeAsync(new GitRange(baseRevision, headRevision), options, cancellationToken);

    /// <summary>
    /// The snapshot of <paramref name="range"/> as a pull request of head into base: the commits in head but not
    /// in base (merges included, oldest first), the files changed from the merge base to head, and contents
    /// of both sides on demand.
    /// </summary>
    public async Task<PullRequestSnapshot> LoadRangeAsync(GitRange range, LocalRangeOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LocalRangeOptions();
        var baseSha = await ResolveCommitAsync(range.Base, cancellationToken).ConfigureAwait(false);
        var headSha = await ResolveCommitAsync(range.Head, cancellationToken).ConfigureAwait(false);

        var baseRefTask = RefNameAsync(range.Base, cancellationToken);
        var headRefTask = options.HeadRefName is null ? RefNameAsync(range.Head, cancellationToken) : Task.FromResult(options.HeadRefName);
        var mergeBaseTask = MergeBaseAsync(baseSha, headSha, cancellationToken);
        var logTask = _git.RunCheckedAsync(CommitLogParser.LogArguments(baseSha, headSha), cancellationToken);
        var mergeBase = await mergeBaseTask.ConfigureAwait(false);
        var rawTask = _git.RunCheckedAsync(DiffParser.RawArguments(mergeBase, headSha), cancellationToken);
        var patchTask = _git.RunCheckedAsync(DiffParser.PatchArguments(mergeBase, headSha), cancellationToken);

        var commits = CommitLogParser.Parse(await logTask.ConfigureAwait(false));
        var (entries, stats) = DiffParser.ParseRawAndNumstat(await rawTask.ConfigureAwait(false));
        var patches = DiffParser.SplitPatch(await patchTask.ConfigureAwait(false), entries, options.MaxPatchBytes);

        var files = new List<ChangedFile>(entries.Count);
        var known = new Dictionary<FileRequest, string?>();
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var status = DiffParser.ToStatus(entry.Status);
            var file = new ChangedFile
            {
                Path = entry.NewPath,
                PreviousPath = status is FileStatus.Renamed or FileStatus.Copied ? entry.OldPath : null,
                Status = status,
                Additions = stats[i].Additions,
                Deletions = stats[i].Deletions,
                IsBinary = stats[i].Binary,
                IsSubmodule = entry.IsSubmodule,
                Patch = patches?[i],
            };
            files.Add(file);
            if (file.BasePath is { } basePath)
            {
                known[new FileRequest(basePath, Side.Base)] = BlobOrNull(entry.OldId, entry.OldMode);
            }

            if (file.HeadPath is { } headPath)
            {
                known[new FileRequest(headPath, Side.Head)] = BlobOrNull(entry.NewId, entry.NewMode);
            }
        }

        var newest = commits.Count > 0 ? commits[^1] : null;
        return new PullRequestSnapshot
        {
            Platform = Platform.Local,
            IdentityFacts = IdentityFacts.None, // git identities only: nothing a platform vouches for
            Repository = options.RepositoryName ?? Path,
            Number = 0,
            Title = options.Title ?? newest?.Subject ?? "",
            Body = options.Body ?? "",
            Author = options.Author ?? Person.Unknown,
            Labels = options.Labels,
            BaseRef = await baseRefTask.ConfigureAwait(false),
            BaseSha = baseSha,
            HeadRef = await headRefTask.ConfigureAwait(false),
            HeadSha = headSha,
            Commits = commits,
            Files = files,
            Contents = new GitBlobContents(_git, mergeBase, headSha, known),
        };
    }

    /// <summary>
    /// The first of <paramref name="paths"/> that exists as of <paramref name="revision"/> (any ref or SHA), decoded
    /// as text, with its blob id as <see cref="RevisionFile.Revision"/>; null when none does.
    /// </summary>
    public async Task<RevisionFile?> ReadAsync(IReadOnlyList<string> paths, string revision, CancellationToken cancellationToken = default)
    {
        var commit = await ResolveCommitAsync(revision, cancellationToken).ConfigureAwait(false);
        var contents = new GitBlobContents(_git, commit, commit, new Dictionary<FileRequest, string?>());
        var found = await contents.GetWithIdsAsync([.. paths.Select(p => new FileRequest(p, Side.Head))], cancellationToken).ConfigureAwait(false);
        var first = paths.Select(p => found.FirstOrDefault(f => f.Content.Path == p)).FirstOrDefault(f => f.Content is not null);
        return first.Content is { } content ? new RevisionFile(content.Path, GitText.Decode(content.Bytes.Span), first.BlobId) : null;
    }

    /// <summary>
    /// The first-parent history of <paramref name="revision"/>, newest first: the commits a mainline received one by
    /// one (merge commits and squashed or direct commits), at most <paramref name="maxCount"/>, committed at or after
    /// <paramref name="since"/> when given.
    /// </summary>
    public async Task<IReadOnlyList<Commit>> FirstParentLogAsync(string revision, int? maxCount = null, DateTimeOffset? since = null, CancellationToken cancellationToken = default)
    {
        var head = await ResolveCommitAsync(revision, cancellationToken).ConfigureAwait(false);
        List<string> args = ["log", "-z", "--first-parent", "--encoding=UTF-8", "--no-color", "--no-show-signature", "--format=" + CommitLogParser.Format];
        if (maxCount is { } max)
        {
            args.Add("--max-count=" + max.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (since is { } date)
        {
            args.Add("--since=" + date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        }

        args.AddRange([head, "--"]);
        return CommitLogParser.Parse(await _git.RunCheckedAsync(args, cancellationToken).ConfigureAwait(false));
    }

    private async Task<string> MergeBaseAsync(string baseSha, string headSha, CancellationToken cancellationToken)
    {
        var result = await _git.RunAsync(["merge-base", baseSha, headSha], null, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode == 0)
        {
            return result.StdoutText.Trim();
        }

        if (result.ExitCode == 1 && result.Stderr.Trim().Length == 0)
        {
            var shallow = await _git.RunAsync(["rev-parse", "--is-shallow-repository"], null, cancellationToken).ConfigureAwait(false);
            if (shallow.StdoutText.Trim() == "true")
            {
                throw new IncompleteHistoryException(
                    $"no merge base between {baseSha[..7]} and {headSha[..7]} in this shallow clone: fetch more history "
                    + "(git fetch --unshallow, or fetch-depth: 0 in actions/checkout)");
            }

            // Unrelated histories: everything in head is new, as against an empty tree.
            var empty = await _git.RunAsync(["hash-object", "-t", "tree", "--stdin"], [], cancellationToken).ConfigureAwait(false);
            return empty.StdoutText.Trim();
        }

        throw GitRunner.Failure(["merge-base"], result);
    }

    private static string? BlobOrNull(string id, string mode)
        => RawDiffEntry.IsNullId(id) || mode == RawDiffEntry.GitlinkMode ? null : id;
}
