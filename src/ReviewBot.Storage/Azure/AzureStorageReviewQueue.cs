using Azure.Storage.Queues;
using ReviewBot.Pipeline;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.Storage.Azure;

/// <summary>
/// Hands review requests to an Azure Storage queue (base64 JSON), read by the <c>review-worker</c> function or, when
/// the host runs outside Azure Functions, by its queue worker through <see cref="AzureStorageWorkQueue"/>.
/// </summary>
public sealed class AzureStorageReviewQueue(QueueClient queue) : IReviewQueue
{
    private int _created;

    public QueueClient Client => queue;

    public async ValueTask EnqueueAsync(ReviewRequest request, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _created) == 0)
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _created, 1);
        }

        await queue.SendMessageAsync(ReviewMessage.Serialize(request), cancellationToken).ConfigureAwait(false);
    }
}
