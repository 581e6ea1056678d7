namespace ReviewBot.Pipeline.Ports;

/// <summary>What <see cref="IReviewCoordinator.ClaimAsync"/> decided for one dequeued request.</summary>
public enum ClaimOutcome
{
    /// <summary>This worker holds the pull request's lease and evaluates it.</summary>
    Run,

    /// <summary>Another worker holds the lease; the request was folded into it (the holder re-evaluates once more).</summary>
    Folded,

    /// <summary>The delivery was already evaluated to completion (a duplicate delivery): nothing to do.</summary>
    AlreadyCompleted,
}

/// <summary>A lease on one pull request, or why none was granted.</summary>
public sealed record ReviewClaim
{
    public required string PullRequestKey { get; init; }
    public required ClaimOutcome Outcome { get; init; }

    /// <summary>The worker that asked (host name + process + unique suffix).</summary>
    public required string Owner { get; init; }

    /// <summary>The delivery being processed.</summary>
    public required string DeliveryId { get; init; }

    /// <summary>Monotonic per pull request: the newest claim wins; an older one may not commit.</summary>
    public long Sequence { get; init; }

    /// <summary>Opaque optimistic-concurrency token of the state row when the claim was taken (SQLite row version, Table ETag).</summary>
    public string? Version { get; init; }

    public DateTimeOffset LeaseUntil { get; init; }

    /// <summary>The lease length asked for (a renewed claim keeps it).</summary>
    public TimeSpan LeaseDuration { get; init; }

    /// <summary>One sentence: why run, folded or skipped.</summary>
    public required string Reason { get; init; }
}

/// <summary>
/// Per-pull-request ordering and coalescing, shared by every worker of a deployment (SQLite file or Azure Table).
/// The enqueue side folds bursts for the same head while one is queued; the worker side takes a lease per pull
/// request, commits its result only when no newer evaluation was claimed meanwhile (compare-and-swap on the
/// sequence), and marks the delivery completed so a redelivered duplicate does nothing.
/// </summary>
public interface IReviewCoordinator
{
    /// <summary>
    /// Enqueue side: true when no evaluation for this pull request and head is waiting in the queue (the caller
    /// enqueues); false when one is already queued and not yet started (the delivery is folded into it).
    /// </summary>
    Task<bool> TryMarkQueuedAsync(string pullRequestKey, string? headSha, CancellationToken cancellationToken = default);

    /// <summary>Worker side: take the pull request's lease for one delivery.</summary>
    Task<ReviewClaim> ClaimAsync(string pullRequestKey, string deliveryId, string owner, TimeSpan leaseDuration, CancellationToken cancellationToken = default);

    /// <summary>
    /// Before side effects: true when this claim is still the newest for the pull request (no later claim, lease
    /// still ours); records the evaluated head SHA. False: a newer evaluation exists, so this one must not act.
    /// </summary>
    Task<bool> TryCommitAsync(ReviewClaim claim, string evaluatedHeadSha, CancellationToken cancellationToken = default);

    /// <summary>
    /// While the evaluation runs (its heartbeat): extends the lease to <see cref="ReviewClaim.LeaseDuration"/> from now.
    /// False when the lease is no longer this claim's (it ran out and another worker took the pull request).
    /// </summary>
    Task<bool> RenewAsync(ReviewClaim claim, CancellationToken cancellationToken = default);

    /// <summary>
    /// Releases the lease and, when <paramref name="completed"/>, marks the delivery done (a redelivered copy then
    /// gets <see cref="ClaimOutcome.AlreadyCompleted"/>). When deliveries were folded into this lease meanwhile and
    /// the evaluation completed, the lease is kept and a renewed claim (next sequence) is returned: the caller
    /// evaluates once more. Null when the lease was released.
    /// </summary>
    Task<ReviewClaim?> ReleaseAsync(ReviewClaim claim, bool completed, CancellationToken cancellationToken = default);
}
