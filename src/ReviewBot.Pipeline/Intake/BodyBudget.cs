using System.Buffers;

namespace ReviewBot.Pipeline.Intake;

/// <summary>
/// The bytes all webhook bodies being read at once may hold, shared by every platform. A delivery reserves its whole
/// need before reading (its declared length, or the cap when it is chunked) and waits in arrival order while the budget
/// is spent; a waiting request does not read its socket, so the sender is held back by TCP. Whole reservations in
/// arrival order cannot deadlock: each waiter needs at most the budget, and every holder finishes without more.
/// <para>
/// Bodies are read into the budget's own <see cref="Segments"/>, which hold at most the budget and are reused: a flood
/// of large posts leaves no garbage for the collector to catch up with, and the process never holds more body bytes
/// than the budget (kept for reuse after a burst).
/// </para>
/// </summary>
public sealed class BodyBudget(long capacity)
{
    /// <summary>The 64 KiB segments bodies are read into: made on first need, reused, never more than the budget holds.</summary>
    public ArrayPool<byte> Segments { get; } = new SegmentPool();

    /// <summary>What a body of up to <paramref name="bytes"/> bytes reserves: whole segments, one more than it fills (the read that finds the end).</summary>
    public static long ReservationFor(long bytes) => (bytes / WebhookBody.SegmentSize + 1) * WebhookBody.SegmentSize;

    private readonly Lock _gate = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private long _available = capacity;

    public long Capacity { get; } = capacity;

    /// <summary>Bytes not reserved right now (tests, diagnostics).</summary>
    public long Available
    {
        get
        {
            lock (_gate)
            {
                return _available;
            }
        }
    }

    /// <summary>Reserves <paramref name="bytes"/> (at most <see cref="Capacity"/>), waiting behind earlier reservations.</summary>
    public async ValueTask<Reservation> ReserveAsync(long bytes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes, Capacity);
        Waiter waiter;
        lock (_gate)
        {
            if (_waiters.Count == 0 && _available >= bytes)
            {
                _available -= bytes;
                return new Reservation(this, bytes);
            }

            waiter = new Waiter(bytes);
            waiter.Node = _waiters.AddLast(waiter);
        }

        await using (cancellationToken.Register(() => Abandon(waiter)))
        {
            await waiter.Granted.Task.ConfigureAwait(false);
        }

        return new Reservation(this, bytes);
    }

    private void Abandon(Waiter waiter)
    {
        lock (_gate)
        {
            if (waiter.Node?.List is null)
            {
                return; // already granted: the caller releases its reservation
            }

            _waiters.Remove(waiter.Node);
            GrantWaiters();
        }

        waiter.Granted.TrySetCanceled();
    }

    private void Release(long bytes)
    {
        lock (_gate)
        {
            _available += bytes;
            GrantWaiters();
        }
    }

    private void GrantWaiters()
    {
        while (_waiters.First is { } first && first.Value.Bytes <= _available)
        {
            _available -= first.Value.Bytes;
            _waiters.RemoveFirst();
            first.Value.Granted.TrySetResult();
        }
    }

    private sealed class Waiter(long bytes)
    {
        public long Bytes { get; } = bytes;

        public LinkedListNode<Waiter>? Node { get; set; }

        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Bytes held until disposed; <see cref="Shrink"/> gives back what turned out not to be needed.</summary>
    public sealed class Reservation(BodyBudget budget, long bytes) : IDisposable
    {
        private long _bytes = bytes;

        public long Bytes => Volatile.Read(ref _bytes);

        public void Shrink(long toBytes)
        {
            var freed = Interlocked.Exchange(ref _bytes, Math.Min(toBytes, Bytes)) - toBytes;
            if (freed > 0)
            {
                budget.Release(freed);
            }
        }

        public void Dispose()
        {
            var held = Interlocked.Exchange(ref _bytes, 0);
            if (held > 0)
            {
                budget.Release(held);
            }
        }
    }
}
