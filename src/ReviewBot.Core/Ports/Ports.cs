using ReviewBot.Core.Decisions;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Ports;

/// <summary>The rules file text and where it came from.</summary>
public sealed record RulesSource
{
    /// <summary>Path as users know it, e.g. ".github/reviewbot.yml" or "acme/.github:reviewbot.yml".</summary>
    public required string Path { get; init; }

    /// <summary>Commit SHA / blob id of the revision read (for the audit log).</summary>
    public required string Revision { get; init; }

    public required string Text { get; init; }

    /// <summary>"base", "head", "organisation", "built-in", "file".</summary>
    public required string Origin { get; init; }
}

/// <summary>Loads a pull request snapshot from a platform (its rules are found by the rules locator, through <see cref="RulesLocation"/>).</summary>
public interface IPullRequestSource
{
    Task<PullRequestSnapshot> LoadAsync(ReviewRequest request, CancellationToken cancellationToken = default);
}

/// <summary>Resolves team / group names from the rules file to member logins.</summary>
public interface IGroupMembership
{
    /// <summary>Members (logins, case-insensitive) of a platform team ("org/team" on GitHub, group path on GitLab).</summary>
    Task<IReadOnlyCollection<string>> GetMembersAsync(string team, CancellationToken cancellationToken = default);
}

/// <summary>What an enforcer did (for the audit log): one line per side effect, "skipped" ones included.</summary>
public sealed record EnforcementResult(IReadOnlyList<string> Actions);

/// <summary>Executes an enforcement plan on a platform, idempotently.</summary>
public interface IEnforcer
{
    Task<EnforcementResult> ApplyAsync(PullRequestSnapshot snapshot, EnforcementPlan plan, CancellationToken cancellationToken = default);

    /// <summary>Marks the head as being evaluated (GitHub check run in_progress, GitLab status pending).</summary>
    Task MarkInProgressAsync(PullRequestSnapshot snapshot, CancellationToken cancellationToken = default);

    /// <summary>Reports an evaluation error: never success.</summary>
    Task ReportErrorAsync(PullRequestSnapshot snapshot, string message, CancellationToken cancellationToken = default);
}

/// <summary>Hands review requests to the worker: in-process channel or Azure Storage queue.</summary>
public interface IReviewQueue
{
    ValueTask EnqueueAsync(ReviewRequest request, CancellationToken cancellationToken = default);
}

/// <summary>The platform-side objects one evaluation needs, authenticated for one repository / installation.</summary>
public sealed record PlatformSession(IPullRequestSource Source, IGroupMembership Membership, IEnforcer Enforcer, RulesLocation Rules);

/// <summary>
/// Creates a <see cref="PlatformSession"/> for a review request. One per platform (GitHub, GitLab) is
/// registered in the host; the worker picks the one whose <see cref="Platform"/> matches the request.
/// </summary>
public interface IPlatformSessionFactory
{
    Platform Platform { get; }

    Task<PlatformSession> CreateAsync(ReviewRequest request, CancellationToken cancellationToken = default);
}
