using ReviewBot.Pipeline.Ports;

namespace ReviewBot.Storage;

/// <summary>
/// The coordination row of one pull request, as both stores keep it (SQLite row, Table entity).
/// <see cref="Sequence"/> grows with every claim; <see cref="AppliedSequence"/> is the last claim that committed.
/// </summary>
public sealed record PullRequestState
{
    public static PullRequestState Empty { get; } = new();

    public long Sequence { get; init; }
    public long AppliedSequence { get; init; }

    /// <summary>Head SHA of the last committed evaluation.</summary>
    public string? HeadSha { get; init; }

    public string? LeaseOwner { get; init; }
    public string? LeaseDelivery { get; init; }
    public DateTimeOffset? LeaseUntil { get; init; }

    /// <summary>Deliveries were folded into the current lease: evaluate once more before releasing.</summary>
    public bool Dirty { get; init; }

    /// <summary>Head of the evaluation waiting in the queue (not started yet).</summary>
    public string? QueuedHead { get; init; }
    public DateTimeOffset? QueuedUntil { get; init; }

    public bool LeaseActive(DateTimeOffset now) => LeaseOwner is not null && LeaseUntil > now;
}

/// <summary>
/// The pure state transitions behind <see cref="IReviewCoordinator"/>. Each returns the next state (null: nothing
/// to write) and the answer; a store applies the next state with compare-and-swap and retries on conflict.
/// </summary>
public static class CoordinationRules
{
    public static (PullRequestState? Next, bool Enqueue) MarkQueued(PullRequestState state, string? headSha, DateTimeOffset now, TimeSpan window)
    {
        if (headSha is not null && state.QueuedHead == headSha && state.QueuedUntil > now)
        {
            return (null, false);
        }

        return (state with { QueuedHead = headSha, QueuedUntil = headSha is null ? null : now + window }, true);
    }

    public static (PullRequestState? Next, ReviewClaim Claim) Claim(
        PullRequestState state, string key, string deliveryId, string owner, TimeSpan lease, DateTimeOffset now)
    {
        var claim = new ReviewClaim
        {
            PullRequestKey = key,
            DeliveryId = deliveryId,
            Owner = owner,
            Outcome = ClaimOutcome.Folded,
            LeaseDuration = lease,
            Reason = "",
        };

        if (state.LeaseActive(now) && state.LeaseOwner != owner)
        {
            if (state.LeaseDelivery == deliveryId)
            {
                return (null, claim with { Reason = $"delivery {deliveryId} is already being evaluated by {state.LeaseOwner}" });
            }

            return (state with { Dirty = true }, claim with
            {
                Reason = $"folded into the evaluation of delivery {state.LeaseDelivery} by {state.LeaseOwner}, which re-evaluates once more",
            });
        }

        var next = state with
        {
            Sequence = state.Sequence + 1,
            LeaseOwner = owner,
            LeaseDelivery = deliveryId,
            LeaseUntil = now + lease,
            Dirty = false,
            QueuedHead = null,
            QueuedUntil = null,
        };
        var reason = state.LeaseOwner is not null && state.LeaseOwner != owner
            ? $"lease of {state.LeaseOwner} expired at {state.LeaseUntil:O}; taking over"
            : "no evaluation running for this pull request";
        return (next, claim with { Outcome = ClaimOutcome.Run, Sequence = next.Sequence, LeaseUntil = now + lease, Reason = reason });
    }

    public static (PullRequestState? Next, bool Committed) Commit(PullRequestState state, ReviewClaim claim, string headSha)
    {
        if (claim.Outcome != ClaimOutcome.Run || state.Sequence != claim.Sequence || state.LeaseOwner != claim.Owner)
        {
            return (null, false);
        }

        return (state with { AppliedSequence = claim.Sequence, HeadSha = headSha }, true);
    }

    /// <summary>Extends the lease when <paramref name="claim"/>'s owner still holds it (whatever pass it is in).</summary>
    public static (PullRequestState? Next, bool Renewed) Renew(PullRequestState state, ReviewClaim claim, DateTimeOffset now)
        => claim.Outcome == ClaimOutcome.Run && state.LeaseOwner == claim.Owner
            ? (state with { LeaseUntil = now + claim.LeaseDuration }, true)
            : (null, false);

    public static (PullRequestState? Next, ReviewClaim? Renewed) Release(PullRequestState state, ReviewClaim claim, bool completed, DateTimeOffset now)
    {
        if (state.LeaseOwner != claim.Owner || state.Sequence != claim.Sequence)
        {
            return (null, null);
        }

        if (completed && state.Dirty)
        {
            var next = state with { Sequence = state.Sequence + 1, Dirty = false, LeaseUntil = now + claim.LeaseDuration };
            return (next, claim with
            {
                Sequence = next.Sequence,
                LeaseUntil = now + claim.LeaseDuration,
                Reason = "deliveries were folded into the previous pass; evaluating once more",
            });
        }

        return (state with { LeaseOwner = null, LeaseDelivery = null, LeaseUntil = null, Dirty = completed ? false : state.Dirty }, null);
    }
}

/// <summary>
/// <see cref="IReviewCoordinator"/> over any store that can read a <see cref="PullRequestState"/> and write it back
/// with compare-and-swap, and keep a set of completed delivery ids.
/// </summary>
public abstract class ReviewCoordinatorBase(TimeProvider time, StorageOptions options) : IReviewCoordinator
{
    protected TimeProvider Time { get; } = time;

    /// <summary>Reads the row, applies <paramref name="transition"/>, writes the next state only if the row did not change meanwhile (retrying otherwise).</summary>
    protected abstract Task<T> MutateAsync<T>(string pullRequestKey, Func<PullRequestState, (PullRequestState? Next, T Result)> transition, CancellationToken cancellationToken);

    protected abstract Task<bool> IsCompletedAsync(string deliveryId, CancellationToken cancellationToken);

    protected abstract Task MarkCompletedAsync(string deliveryId, CancellationToken cancellationToken);

    public Task<bool> TryMarkQueuedAsync(string pullRequestKey, string? headSha, CancellationToken cancellationToken = default)
        => MutateAsync(pullRequestKey, s => CoordinationRules.MarkQueued(s, headSha, Time.GetUtcNow(), options.QueuedFoldWindow), cancellationToken);

    public async Task<ReviewClaim> ClaimAsync(string pullRequestKey, string deliveryId, string owner, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        if (await IsCompletedAsync(deliveryId, cancellationToken).ConfigureAwait(false))
        {
            return Completed(pullRequestKey, deliveryId, owner);
        }

        var claim = await MutateAsync(
            pullRequestKey,
            s => CoordinationRules.Claim(s, pullRequestKey, deliveryId, owner, leaseDuration, Time.GetUtcNow()),
            cancellationToken).ConfigureAwait(false);

        // A copy of this delivery may have completed between the check above and the claim: completion is
        // recorded before a lease is released, so looking again now is conclusive.
        if (claim.Outcome == ClaimOutcome.Run && await IsCompletedAsync(deliveryId, cancellationToken).ConfigureAwait(false))
        {
            await ReleaseAsync(claim, completed: false, cancellationToken).ConfigureAwait(false);
            return Completed(pullRequestKey, deliveryId, owner);
        }

        return claim;
    }

    public Task<bool> TryCommitAsync(ReviewClaim claim, string evaluatedHeadSha, CancellationToken cancellationToken = default)
        => MutateAsync(claim.PullRequestKey, s => CoordinationRules.Commit(s, claim, evaluatedHeadSha), cancellationToken);

    public Task<bool> RenewAsync(ReviewClaim claim, CancellationToken cancellationToken = default)
        => MutateAsync(claim.PullRequestKey, s => CoordinationRules.Renew(s, claim, Time.GetUtcNow()), cancellationToken);

    public Task<ReviewClaim?> ReleaseAsync(ReviewClaim claim, bool completed, CancellationToken cancellationToken = default)
        => completed
            ? CompleteAndMutateAsync(claim.DeliveryId, claim.PullRequestKey, s => CoordinationRules.Release(s, claim, completed: true, Time.GetUtcNow()), cancellationToken)
            : MutateAsync(claim.PullRequestKey, s => CoordinationRules.Release(s, claim, completed: false, Time.GetUtcNow()), cancellationToken);

    /// <summary>
    /// Marks <paramref name="deliveryId"/> completed, then applies <paramref name="transition"/> (the completion is
    /// recorded before the lease is released). A store that can do both in one transaction overrides this.
    /// </summary>
    protected virtual async Task<T> CompleteAndMutateAsync<T>(
        string deliveryId, string pullRequestKey, Func<PullRequestState, (PullRequestState? Next, T Result)> transition, CancellationToken cancellationToken)
    {
        await MarkCompletedAsync(deliveryId, cancellationToken).ConfigureAwait(false);
        return await MutateAsync(pullRequestKey, transition, cancellationToken).ConfigureAwait(false);
    }

    private static ReviewClaim Completed(string key, string deliveryId, string owner) => new()
    {
        PullRequestKey = key,
        DeliveryId = deliveryId,
        Owner = owner,
        Outcome = ClaimOutcome.AlreadyCompleted,
        Reason = $"delivery {deliveryId} was already evaluated to completion",
    };
}
