using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Options;
using ReviewBot.Pipeline;

namespace ReviewBot.Storage.Azure;

/// <summary>
/// The Azure Storage review queue as an <see cref="IWorkQueue"/>, for a host that drains it itself (outside Azure
/// Functions, where the queue trigger does this job). Same semantics as the trigger: a received message stays
/// invisible for <see cref="StorageOptions.VisibilityTimeout"/>, is deleted only when finished, comes back after a
/// crash, and poison goes to <c>&lt;queue&gt;-poison</c>. The attempt is the message's dequeue count.
/// </summary>
public sealed class AzureStorageWorkQueue(AzureStorageClients clients, IOptions<StorageOptions> options) : IWorkQueue
{
    private const int MaxMessagesPerReceive = 32;
    private readonly QueueClient _queue = clients.Queue();
    private readonly QueueClient _poison = clients.PoisonQueue();
    private int _created;

    public async Task<IReadOnlyList<WorkItem>> LeaseAsync(int max, IReadOnlySet<string> busyKeys, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _created, 1) == 0)
        {
            await _queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await _poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        // The queue cannot filter by pull request: an item for a busy pull request is folded by the coordinator.
        QueueMessage[] messages = await _queue.ReceiveMessagesAsync(Math.Clamp(max, 1, MaxMessagesPerReceive), options.Value.VisibilityTimeout, cancellationToken)
            .ConfigureAwait(false);
        return [.. messages.Select(Item)];
    }

    private static WorkItem Item(QueueMessage message)
    {
        var body = message.Body.ToString();
        var item = new WorkItem { Id = message.MessageId, Receipt = message.PopReceipt, Attempt = (int)Math.Min(message.DequeueCount, int.MaxValue), Message = body };
        try
        {
            return item with { Request = ReviewMessage.Deserialize(body) };
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidDataException)
        {
            return item with { ReadError = ex.Message };
        }
    }

    /// <remarks>Updating a message's visibility issues a new pop receipt: the returned item carries it.</remarks>
    public async Task<WorkItem?> ExtendLeaseAsync(WorkItem item, CancellationToken cancellationToken = default)
    {
        try
        {
            var receipt = await _queue.UpdateMessageAsync(item.Id, item.Receipt, visibilityTimeout: options.Value.VisibilityTimeout, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            return item with { Receipt = receipt.Value.PopReceipt };
        }
        catch (global::Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            // The message is gone or another receiver holds it (the receipt is stale).
            return null;
        }
    }

    public Task CompleteAsync(WorkItem item, CancellationToken cancellationToken = default)
        => _queue.DeleteMessageAsync(item.Id, item.Receipt, cancellationToken);

    /// <remarks>The queue counts every receive, so <paramref name="countsAsAttempt"/> false cannot give the attempt back.</remarks>
    public Task RescheduleAsync(WorkItem item, TimeSpan delay, string? error, bool countsAsAttempt, CancellationToken cancellationToken = default)
        => _queue.UpdateMessageAsync(item.Id, item.Receipt, visibilityTimeout: delay, cancellationToken: cancellationToken);

    public async Task PoisonAsync(WorkItem item, string error, CancellationToken cancellationToken = default)
    {
        await _poison.SendMessageAsync(item.Message, cancellationToken).ConfigureAwait(false);
        await _queue.DeleteMessageAsync(item.Id, item.Receipt, cancellationToken).ConfigureAwait(false);
    }

    public Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken) => Task.Delay(timeout, cancellationToken);
}
