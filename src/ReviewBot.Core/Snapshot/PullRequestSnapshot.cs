namespace ReviewBot.Core.Snapshot;

/// <summary>
/// Everything the core knows about one pull/merge request (or a local git range), platform-neutral.
/// GitHub, GitLab and local git adapters all produce this; the core never asks a platform for more.
/// </summary>
public sealed record PullRequestSnapshot
{
    /// <summary>Which platform built the snapshot: for keys and messages only; the core never branches on it (see <see cref="IdentityFacts"/>).</summary>
    public required Platform Platform { get; init; }

    /// <summary>What the platform vouches for about the people on this snapshot; set by the adapter (default: nothing).</summary>
    public IdentityFacts IdentityFacts { get; init; } = IdentityFacts.None;

    /// <summary>"owner/name" on GitHub, "group/sub/project" on GitLab, the directory for local git.</summary>
    public required string Repository { get; init; }

    /// <summary>PR / MR number (IID on GitLab); 0 for a local range.</summary>
    public long Number { get; init; }

    public string Title { get; init; } = "";
    public string Body { get; init; } = "";
    public required Person Author { get; init; }
    public IReadOnlyList<Person> Assignees { get; init; } = [];

    /// <summary>Earlier versions of <see cref="Body"/> from the platform's edit history (oldest first), when it keeps one.</summary>
    public IReadOnlyList<string> EarlierBodies { get; init; } = [];

    /// <summary>Everyone the platform's events show was ever assigned, including those unassigned since.</summary>
    public IReadOnlyList<Person> EverAssigned { get; init; } = [];
    public IReadOnlyList<string> Labels { get; init; } = [];
    public bool Draft { get; init; }

    public required string BaseRef { get; init; }
    public required string BaseSha { get; init; }
    public required string HeadRef { get; init; }
    public required string HeadSha { get; init; }

    /// <summary>The PR's own commits (not the merged result), oldest first.</summary>
    public IReadOnlyList<Commit> Commits { get; init; } = [];

    public IReadOnlyList<ChangedFile> Files { get; init; } = [];

    /// <summary>True when the platform truncated the file list (e.g. GitHub's 3000-file cap).</summary>
    public bool FilesTruncated { get; init; }

    public IReadOnlyList<Review> Reviews { get; init; } = [];
    public IReadOnlyList<CheckResult> Checks { get; init; } = [];

    /// <summary>Users whose review is already requested (login).</summary>
    public IReadOnlyList<string> RequestedReviewers { get; init; } = [];

    /// <summary>Teams / groups whose review is already requested ("org/team" or group path).</summary>
    public IReadOnlyList<string> RequestedTeams { get; init; } = [];

    /// <summary>The GitHub App that opened the PR (<c>performed_via_github_app</c> slug), when known.</summary>
    public string? PerformedViaApp { get; init; }

    /// <summary>The latest push to the head, when the platform reports it.</summary>
    public Push? LastPush { get; init; }

    /// <summary>People the platform's own events name as the dispatcher of the agent (never editable text).</summary>
    public IReadOnlyList<Dispatch> Dispatchers { get; init; } = [];

    /// <summary>
    /// Git identities of the commits (authors and co-authors) the platform was asked to match to accounts. An email
    /// missing here was not looked up; one present with a null account has no account the platform can name.
    /// </summary>
    public IReadOnlyList<ResolvedIdentity> ResolvedIdentities { get; init; } = [];

    /// <summary>
    /// Patch ids by head SHA: a hash of the pull request's own diff at that head against its merge base with the
    /// target branch (<see cref="PatchId"/>). Set for the current head and the heads older approvals were
    /// given on, when the platform can tell; a rebase that leaves the diff unchanged keeps the patch id.
    /// </summary>
    public IReadOnlyDictionary<string, string> PatchIds { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The conversation's comments (oldest first), read from the platform's API; commands to ReviewBot are among them.</summary>
    public IReadOnlyList<Comment> Comments { get; init; } = [];

    /// <summary>
    /// When the current head arrived, as the platform records it (GitHub: the push activity that produced it; GitLab:
    /// the merge request version of it); null when the platform cannot say. A command tied to "this head" (an override,
    /// a dismissed finding) counts only when it was written after this moment.
    /// </summary>
    public DateTimeOffset? HeadPushedAt { get; init; }

    /// <summary>The CODEOWNERS file at the BASE commit (so a change cannot name its own owners); null when there is
    /// none or it was not read (the rules ask for no code owners). Read at the edge by the review engine.</summary>
    public ReviewBot.Core.Ports.RevisionFile? CodeOwners { get; init; }

    /// <summary>Where this platform looks for CODEOWNERS, first that exists wins: GitHub's order unless the adapter
    /// says otherwise (the GitLab adapter gives GitLab's).</summary>
    public IReadOnlyList<string> CodeOwnersLocations { get; init; } = ReviewBot.Core.Policy.CodeOwnersFile.GitHubLocations;

    /// <summary>Lazy file contents at base and head.</summary>
    public IFileContentProvider Contents { get; init; } = NoFileContents.Instance;

    public string ShortHeadSha => HeadSha.Length > 7 ? HeadSha[..7] : HeadSha;
}
