using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReviewBot.Storage.Processing;

namespace ReviewBot.Storage.Azure;

/// <summary>
/// Reads the review queue when the host runs outside Azure Functions (the Functions queue trigger does this job in
/// Azure). Same semantics as the trigger: a message stays invisible while processed, is deleted only after success,
/// comes back after a failure or a crash, and moves to <c>&lt;queue&gt;-poison</c> (recorded in the audit log)
/// after <see cref="StorageOptions.MaxDequeueCount"/> attempts.
/// </summary>
public sealed class AzureQueueReviewWorker(
    AzureStorageClients clients,
    DurableReviewProcessor processor,
    PoisonRecorder poison,
    IOptions<StorageOptions> options,
    ILogger<AzureQueueReviewWorker> log)
{
    private readonly QueueClient _queue = clients.Queue();
    private readonly QueueClient _poison = clients.PoisonQueue();
    private int _created;

    /// <summary>Receives one batch and processes it; returns how many messages were received.</summary>
    public async Task<int> ProcessBatchAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _created, 1) == 0)
        {
            await _queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await _poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var o = options.Value;
        QueueMessage[] messages = await _queue.ReceiveMessagesAsync(o.BatchSize, o.VisibilityTimeout, cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(messages.Select(m => HandleAsync(m, cancellationToken))).ConfigureAwait(false);
        return messages.Length;
    }

    private async Task HandleAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var body = message.Body.ToString();
        if (message.DequeueCount > o.MaxDequeueCount)
        {
            await MoveToPoisonAsync(message, body, "exceeded the maximum dequeue count", cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            var request = ReviewMessage.Deserialize(body);
            var result = await processor.ProcessAsync(request, cancellationToken).ConfigureAwait(false);
            log.LogDebug("message {Id}: {Status} ({Reason})", message.MessageId, result.Status, result.Reason);
            await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            if (message.DequeueCount >= o.MaxDequeueCount)
            {
                await MoveToPoisonAsync(message, body, ex.GetType().Name + ": " + ex.Message, cancellationToken).ConfigureAwait(false);
                return;
            }

            // Back off before the next attempt instead of waiting for the whole visibility timeout.
            var delay = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, message.DequeueCount), o.MaxRetryDelay.TotalSeconds));
            log.LogWarning(ex, "message {Id} attempt {Attempt} failed; retrying in {Delay}", message.MessageId, message.DequeueCount, delay);
            await _queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: delay, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
    }

    private async Task MoveToPoisonAsync(QueueMessage message, string body, string error, CancellationToken cancellationToken)
    {
        await _poison.SendMessageAsync(body, cancellationToken).ConfigureAwait(false);
        await poison.RecordAsync(body, message.DequeueCount, error, message.MessageId, cancellationToken).ConfigureAwait(false);
        await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        log.LogError("message {Id} moved to {Poison} after {Count} attempts: {Error}", message.MessageId, _poison.Name, message.DequeueCount, error);
    }
}

/// <summary>Polls the queue with <see cref="AzureQueueReviewWorker"/> (1 ms … MaxPollingInterval back-off when idle).</summary>
public sealed class AzureQueueWorkerService(AzureQueueReviewWorker worker, IOptions<StorageOptions> options, ILogger<AzureQueueWorkerService> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var idle = TimeSpan.FromMilliseconds(50);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await worker.ProcessBatchAsync(stoppingToken).ConfigureAwait(false) > 0)
                {
                    idle = TimeSpan.FromMilliseconds(50);
                    continue;
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning(ex, "queue poll failed");
            }

            try
            {
                await Task.Delay(idle, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, options.Value.MaxPollingInterval.Ticks));
        }
    }
}
