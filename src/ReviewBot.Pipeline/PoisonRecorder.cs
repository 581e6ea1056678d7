using ReviewBot.Pipeline.Ports;
using ReviewBot.Pipeline.Telemetry;

namespace ReviewBot.Pipeline;

/// <summary>Records a message that exhausted its retries (the queue's poison copy) in the audit log, with its error.</summary>
public sealed class PoisonRecorder(IAuditStore audit, TimeProvider time, ReviewBotMetrics metrics)
{
    public async Task<AuditRecord> RecordAsync(string rawMessage, long dequeueCount, string? lastError, string? messageId, CancellationToken cancellationToken = default)
    {
        ReviewRequest? request = null;
        string? unreadable = null;
        try
        {
            request = ReviewMessage.Deserialize(rawMessage);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidDataException or ArgumentException)
        {
            unreadable = ex.Message;
        }

        var error = $"poison: gave up after {dequeueCount} attempt(s)"
                    + (lastError is null ? "" : "; last error: " + lastError)
                    + (unreadable is null ? "" : "; message unreadable: " + unreadable);
        var record = new AuditRecord
        {
            Id = "poison." + (request?.DeliveryId ?? messageId ?? Guid.NewGuid().ToString("N")),
            Time = time.GetUtcNow(),
            Platform = request?.Platform.Id ?? "unknown",
            Repository = request?.Repository ?? "unknown",
            Number = request?.Number ?? 0,
            HeadSha = request?.HeadSha ?? "",
            DeliveryId = request?.DeliveryId,
            Event = request?.Event,
            Error = error,
        };
        await audit.AppendAsync(record, cancellationToken).ConfigureAwait(false);
        metrics.RecordPoison(record.Platform);
        return record;
    }
}
