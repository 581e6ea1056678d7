using Microsoft.Extensions.Logging;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.Storage;

/// <summary>
/// Folds bursts: a request for a pull request and head that already has an evaluation waiting in the queue is not
/// enqueued again (the waiting evaluation loads the newest state when it starts). Wraps the real queue.
/// </summary>
public sealed class CoalescingReviewQueue(IReviewQueue inner, IReviewCoordinator coordinator, ILogger<CoalescingReviewQueue> log) : IReviewQueue
{
    public IReviewQueue Inner => inner;

    public async ValueTask EnqueueAsync(ReviewRequest request, CancellationToken cancellationToken = default)
    {
        if (!await coordinator.TryMarkQueuedAsync(request.PullRequestKey, request.HeadSha, cancellationToken).ConfigureAwait(false))
        {
            log.LogDebug("{Key} head {Head}: delivery {Delivery} folded into the queued evaluation", request.PullRequestKey, request.HeadSha, request.DeliveryId);
            return;
        }

        try
        {
            await inner.EnqueueAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Nothing is queued after all: forget the marker so the next delivery for this head is enqueued.
            await coordinator.TryMarkQueuedAsync(request.PullRequestKey, null, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }
}
