using ReviewBot.Pipeline.Ports;

namespace ReviewBot.Pipeline;

/// <summary>What became of a delivery handed to the <see cref="IDeliveryInbox"/>.</summary>
public enum InboxOutcome
{
    /// <summary>The key was new and every request of the delivery is stored: the caller may answer 202.</summary>
    Accepted,

    /// <summary>The key was seen before: nothing was stored again.</summary>
    Duplicate,
}

/// <summary>
/// Where the intake hands an accepted delivery: its de-duplication key and the review requests it maps to are
/// recorded together, so a delivery is either wholly accepted or not at all (then the method throws and the
/// platform's redelivery is accepted later). <paramref name="deliveryKey"/> is a signed or platform-issued id only.
/// </summary>
public interface IDeliveryInbox
{
    Task<InboxOutcome> AcceptAsync(
        string platform, string deliveryKey, IReadOnlyList<ReviewRequest> requests, CancellationToken cancellationToken = default);
}

/// <summary>
/// An inbox over a de-duplication store and a queue that are not one transaction: records the key, enqueues, and
/// forgets the key when enqueueing fails. Durable only as far as the queue behind it is.
/// </summary>
public sealed class QueueDeliveryInbox(IAuditStore deliveries, IReviewQueue queue) : IDeliveryInbox
{
    public async Task<InboxOutcome> AcceptAsync(
        string platform, string deliveryKey, IReadOnlyList<ReviewRequest> requests, CancellationToken cancellationToken = default)
    {
        if (!await deliveries.TryRecordDeliveryAsync(platform, deliveryKey, cancellationToken).ConfigureAwait(false))
        {
            return InboxOutcome.Duplicate;
        }

        try
        {
            foreach (var request in requests)
            {
                await queue.EnqueueAsync(request, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            // Not (fully) queued: forget the key so the platform's redelivery is accepted instead of dropped as a
            // duplicate. Requests already queued are harmless twice: evaluations are idempotent and coalesced.
            await deliveries.ForgetDeliveryAsync(platform, deliveryKey, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return InboxOutcome.Accepted;
    }
}
