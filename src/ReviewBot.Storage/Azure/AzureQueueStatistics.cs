using ReviewBot.Pipeline.Telemetry;

namespace ReviewBot.Storage.Azure;

/// <summary>
/// The Azure Storage review queue's approximate depth, the age of the message at its head and the poison queue's
/// depth, for the queue gauges (three calls to the queue service per collection).
/// </summary>
public sealed class AzureQueueStatistics(AzureStorageClients clients, TimeProvider time) : IQueueStatistics
{
    public QueueStatistics Read()
    {
        var queue = clients.Queue();
        var poison = clients.PoisonQueue();
        if (!queue.Exists().Value)
        {
            return default;
        }

        var depth = queue.GetProperties().Value.ApproximateMessagesCount;
        var head = queue.PeekMessage().Value;
        var age = head?.InsertedOn is { } inserted ? time.GetUtcNow() - inserted : TimeSpan.Zero;
        var poisoned = poison.Exists().Value ? poison.GetProperties().Value.ApproximateMessagesCount : 0;
        return new QueueStatistics(depth, age < TimeSpan.Zero ? TimeSpan.Zero : age, poisoned);
    }
}
