using ReviewBot.Core.Decisions;
using ReviewBot.Core.Ports;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Pipeline.Ports;

/// <summary>Loads a pull request snapshot from a platform (its rules are found by the rules locator, through <see cref="RulesLocation"/>).</summary>
public interface IPullRequestSource
{
    Task<PullRequestSnapshot> LoadAsync(ReviewRequest request, CancellationToken cancellationToken = default);
}

/// <summary>What an enforcer did (for the audit log): one line per side effect, "skipped" ones included.</summary>
public sealed record EnforcementResult(IReadOnlyList<string> Actions)
{
    /// <summary>Comments whose <c>/reviewbot</c> command was answered in this pass (first answers only, never repeats).</summary>
    public IReadOnlyList<long> Replied { get; init; } = [];
}

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
