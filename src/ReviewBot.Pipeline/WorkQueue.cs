using ReviewBot.Pipeline.Ports;

namespace ReviewBot.Pipeline;

/// <summary>
/// One leased unit of work. <see cref="Request"/> is null when the stored message could not be read (it goes to
/// poison with <see cref="ReadError"/>). <see cref="Attempt"/> counts leases, this one included.
/// </summary>
public sealed record WorkItem
{
    /// <summary>The queue's id of the item (SQLite row id, Azure message id).</summary>
    public required string Id { get; init; }

    /// <summary>Proof of the lease: completing or rescheduling with a stale receipt does nothing.</summary>
    public required string Receipt { get; init; }

    public required int Attempt { get; init; }

    /// <summary>The stored message, as <see cref="ReviewMessage"/> JSON.</summary>
    public required string Message { get; init; }

    public ReviewRequest? Request { get; init; }

    public string? ReadError { get; init; }

    /// <summary>The key items are ordered and coalesced by (see <see cref="WorkKey.Of"/>).</summary>
    public string Key => Request is null ? "unreadable:" + Id : WorkKey.Of(Request);
}

/// <summary>The ordering and coalescing key of a review request.</summary>
public static class WorkKey
{
    /// <summary>
    /// The pull request (<c>github:owner/name#12</c>); for an event that names no pull request yet (a status or check
    /// suite: the pull requests are found when it runs) the pull request key with the head, <c>…#0@sha</c>.
    /// </summary>
    public static string Of(ReviewRequest request)
        => request.Number > 0 ? request.PullRequestKey : $"{request.PullRequestKey}@{request.HeadSha ?? "*"}";
}

/// <summary>
/// A durable queue the <see cref="QueueWorker"/> drains: items are leased for a visibility timeout (a crashed
/// worker's item comes back when it ends), completed, rescheduled, parked as poison, or given back on shutdown.
/// </summary>
public interface IWorkQueue
{
    /// <summary>
    /// Leases up to <paramref name="max"/> items that are due, oldest first, at most one per <see cref="WorkKey"/>,
    /// none whose key is in <paramref name="busyKeys"/> (held by this worker) or leased elsewhere (when the queue can tell).
    /// </summary>
    Task<IReadOnlyList<WorkItem>> LeaseAsync(int max, IReadOnlySet<string> busyKeys, CancellationToken cancellationToken = default);

    /// <summary>
    /// Keeps a running item invisible for another visibility timeout from now (the worker's heartbeat). Returns the item
    /// to use from now on (a queue may issue a new receipt), or null when this lease is no longer held.
    /// </summary>
    Task<WorkItem?> ExtendLeaseAsync(WorkItem item, CancellationToken cancellationToken = default);

    /// <summary>The item is done: it leaves the queue.</summary>
    Task CompleteAsync(WorkItem item, CancellationToken cancellationToken = default);

    /// <summary>Makes the item due again after <paramref name="delay"/>; <paramref name="countsAsAttempt"/> false gives the lease's attempt back.</summary>
    Task RescheduleAsync(WorkItem item, TimeSpan delay, string? error, bool countsAsAttempt, CancellationToken cancellationToken = default);

    /// <summary>Parks the item for an operator (<c>reviewbot queue list|retry|drop</c>, or the Azure poison queue).</summary>
    Task PoisonAsync(WorkItem item, string error, CancellationToken cancellationToken = default);

    /// <summary>Completes when new work may be waiting (an enqueue in this process) or after <paramref name="timeout"/>.</summary>
    Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken);
}
