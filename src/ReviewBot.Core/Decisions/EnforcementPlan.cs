using ReviewBot.Core.Risk;

namespace ReviewBot.Core.Decisions;

public enum CheckOutcome
{
    /// <summary>Requirements met.</summary>
    Success,

    /// <summary>Requirements not met yet (approvals, checks pending).</summary>
    ActionRequired,

    /// <summary>Blocked, failed checks, invalid rules, evaluation error.</summary>
    Failure,

    /// <summary>Nothing to enforce (no rules anywhere): reported neutrally, never failing.</summary>
    Neutral,
}

/// <summary>A line-level note on the head (or base) side for the check run.</summary>
public sealed record Annotation(string Path, int StartLine, int EndLine, Severity Severity, string Title, string Message, string RuleId);

/// <summary>
/// What the platform adapter must make true. Executing it is idempotent: one check/status per head SHA,
/// one sticky comment, only reviewers not yet requested, only labels not yet present.
/// </summary>
public sealed record EnforcementPlan
{
    public required string HeadSha { get; init; }
    public required CheckOutcome Outcome { get; init; }
    public required string Title { get; init; }
    public required string Summary { get; init; }
    public IReadOnlyList<Annotation> Annotations { get; init; } = [];
    public IReadOnlyList<string> RequestUsers { get; init; } = [];
    public IReadOnlyList<string> RequestTeams { get; init; } = [];
    public IReadOnlyList<string> AddLabels { get; init; } = [];

    /// <summary>Markdown for the sticky comment / note; null when comments are off.</summary>
    public string? Comment { get; init; }

    /// <summary>Approval requirements, for platforms that mirror them (GitLab approval rules).</summary>
    public IReadOnlyList<ApprovalRequirementResult> Approvals { get; init; } = [];

    /// <summary>
    /// The signed link to this pull request's details page, set by the pipeline when the host has a public base URL
    /// (<c>ReviewBot:Details</c>); the check run's details URL and the GitLab status's target URL. Null: nothing is linked.
    /// </summary>
    public string? DetailsUrl { get; init; }
    /// <summary>Answers to <c>/reviewbot</c> commands, each posted once in the thread (its body starts with its marker).</summary>
    public IReadOnlyList<CommandReply> Replies { get; init; } = [];
}

/// <summary>One answer to post in the pull request's thread, for the command in comment <see cref="CommentId"/>.</summary>
public sealed record CommandReply(long CommentId, string Body);
