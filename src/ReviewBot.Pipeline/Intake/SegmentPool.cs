using System.Buffers;
using System.Collections.Concurrent;

namespace ReviewBot.Pipeline.Intake;

/// <summary>
/// The body budget's 64 KiB segments: made on first need on the pinned object heap (never moved, so a collection
/// never copies them) and kept for reuse. Only as many exist as the budget lets be in use at once.
/// </summary>
internal sealed class SegmentPool : ArrayPool<byte>
{
    private readonly ConcurrentBag<byte[]> _free = [];

    public override byte[] Rent(int minimumLength)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minimumLength, WebhookBody.SegmentSize);
        return _free.TryTake(out var segment) ? segment : GC.AllocateUninitializedArray<byte>(WebhookBody.SegmentSize, pinned: true);
    }

    public override void Return(byte[] array, bool clearArray = false)
    {
        if (array.Length != WebhookBody.SegmentSize)
        {
            throw new ArgumentException("not a segment of this pool", nameof(array));
        }

        if (clearArray)
        {
            Array.Clear(array);
        }

        _free.Add(array);
    }
}
