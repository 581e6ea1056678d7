using System.Collections.Concurrent;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.GitLab.Tests;

/// <summary>Test double of the queue: records what the webhook enqueued.</summary>
public sealed class RecordingQueue : IReviewQueue
{
    public ConcurrentQueue<ReviewRequest> Items { get; } = new();

    public bool Fail { get; set; }

    public ValueTask EnqueueAsync(ReviewRequest request, CancellationToken cancellationToken = default)
    {
        if (Fail)
        {
            throw new IOException("queue unavailable (test double)");
        }

        Items.Enqueue(request);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Test double of the audit store: de-duplicates deliveries and keeps every record, so a test can read the decisions.</summary>
public sealed class DeliveryRecorderDouble : IAuditStore
{
    private readonly ConcurrentDictionary<string, bool> _seen = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Seen => _seen.Keys.ToList();

    public ConcurrentQueue<AuditRecord> Records { get; } = new();

    public Task<bool> TryRecordDeliveryAsync(string platform, string deliveryId, CancellationToken cancellationToken = default)
        => Task.FromResult(_seen.TryAdd($"{platform}:{deliveryId}", true));

    public Task ForgetDeliveryAsync(string platform, string deliveryId, CancellationToken cancellationToken = default)
    {
        _seen.TryRemove($"{platform}:{deliveryId}", out _);
        return Task.CompletedTask;
    }

    public Task AppendAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        Records.Enqueue(record);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<AuditRecord>>([.. Records]);

    public Task<AuditRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
        => Task.FromResult(Records.FirstOrDefault(r => r.Id == id));
}

/// <summary>A clock the test sets.</summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

public static class Fixtures
{
    public static byte[] GitLab(string name) => File.ReadAllBytes(Path.Combine(ReviewBot.TestSupport.TestPaths.Fixtures, "gitlab", name));
}
