namespace ReviewBot.Pipeline.Ports;

/// <summary>A running escalation clock of one rule on one pull request (see <c>escalate:</c> in rules/README.md).</summary>
public sealed record EscalationClock
{
    /// <summary>The pull request, as a review request re-evaluates it (platform, repository, number, installation / project).</summary>
    public required ReviewRequest PullRequest { get; init; }

    public required string Rule { get; init; }

    /// <summary>The head the clock runs for: a push (a new head) starts it again.</summary>
    public required string HeadSha { get; init; }

    /// <summary>The group whose review is requested when the clock runs out.</summary>
    public required string Group { get; init; }

    public required TimeSpan After { get; init; }

    /// <summary>When ReviewBot first saw this head ready with the requirement unmet.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When the clock ran out and a sweeper claimed it; null while it runs.</summary>
    public DateTimeOffset? FiredAt { get; init; }
}

/// <summary>Escalation clocks, shared by every instance: a clock that ran out is claimed by exactly one sweeper.</summary>
public interface IEscalationStore
{
    /// <summary>
    /// Sets the pull request's running clocks to <paramref name="clocks"/> (all on <paramref name="headSha"/>): a clock
    /// already running for the same rule and head keeps its start (and whether it fired); a new rule or a new head starts
    /// at <paramref name="now"/>; clocks of rules not listed (met, a draft, passed) are removed.
    /// </summary>
    Task WatchAsync(ReviewRequest pullRequest, string headSha, IReadOnlyList<EscalationClock> clocks, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Atomically marks every clock that has run out by <paramref name="now"/> and has not fired as fired, and returns those: never the same clock to two callers.</summary>
    Task<IReadOnlyList<EscalationClock>> ClaimDueAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>The fired clocks of a pull request's head (what its check reports).</summary>
    Task<IReadOnlyList<EscalationClock>> FiredAsync(ReviewRequest pullRequest, string headSha, CancellationToken cancellationToken = default);
}
