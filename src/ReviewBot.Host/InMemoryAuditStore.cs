using System.Collections.Concurrent;
using ReviewBot.Core.Ports;

namespace ReviewBot.Host;

/// <summary>
/// The host's fallback <see cref="IAuditStore"/> when no durable store is registered (<c>reviewbot serve</c> without
/// storage settings): delivery ids and records live in memory, bounded, and are lost on restart.
/// </summary>
public sealed class InMemoryAuditStore(int maxDeliveries = 100_000, int maxRecords = 10_000) : IAuditStore
{
    private readonly ConcurrentDictionary<string, byte> _deliveries = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _deliveryOrder = new();
    private readonly List<AuditRecord> _records = [];
    private readonly Lock _gate = new();

    public Task ForgetDeliveryAsync(string platform, string deliveryId, CancellationToken cancellationToken = default)
    {
        _deliveries.TryRemove(platform + ":" + deliveryId, out _);
        return Task.CompletedTask;
    }

    public Task<bool> TryRecordDeliveryAsync(string platform, string deliveryId, CancellationToken cancellationToken = default)
    {
        var key = platform + ":" + deliveryId;
        if (!_deliveries.TryAdd(key, 0))
        {
            return Task.FromResult(false);
        }

        _deliveryOrder.Enqueue(key);
        while (_deliveryOrder.Count > maxDeliveries && _deliveryOrder.TryDequeue(out var old))
        {
            _deliveries.TryRemove(old, out _);
        }

        return Task.FromResult(true);
    }

    public Task AppendAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _records.Add(record);
            if (_records.Count > maxRecords)
            {
                _records.RemoveRange(0, _records.Count - maxRecords);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<AuditRecord> result = _records
                .Where(r => query.Repository is null || string.Equals(r.Repository, query.Repository, StringComparison.OrdinalIgnoreCase))
                .Where(r => query.Number is null || r.Number == query.Number)
                .Where(r => query.Since is null || r.Time >= query.Since)
                .OrderByDescending(r => r.Time)
                .Take(query.Limit)
                .ToList();
            return Task.FromResult(result);
        }
    }

    public Task<AuditRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_records.LastOrDefault(r => r.Id == id));
        }
    }
}
