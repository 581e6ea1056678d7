using System.Buffers;

namespace ReviewBot.Pipeline.Intake;

/// <summary>
/// A webhook body read in 64 KiB segments rented from a pool (no buffer is ever sized by what the sender declares).
/// Returned to the pool when disposed.
/// </summary>
public sealed class WebhookBody(ArrayPool<byte> pool) : IDisposable
{
    public const int SegmentSize = 64 * 1024;

    private readonly List<byte[]> _segments = [];

    public long Length { get; private set; }

    /// <summary>
    /// Reads <paramref name="stream"/> to its end through <paramref name="verifier"/>, holding at most
    /// <paramref name="maxBytes"/> + 1 bytes (<see cref="BodyBudget.ReservationFor"/> in segments). Null when the body is
    /// longer than <paramref name="maxBytes"/>.
    /// </summary>
    public static async Task<WebhookBody?> ReadAsync(Stream stream, long maxBytes, IBodyVerifier? verifier, ArrayPool<byte> pool, CancellationToken cancellationToken)
    {
        var body = new WebhookBody(pool);
        try
        {
            while (true)
            {
                var offset = (int)(body.Length % SegmentSize);
                if (offset == 0)
                {
                    body._segments.Add(pool.Rent(SegmentSize));
                }

                var segment = body._segments[^1];
                var room = (int)Math.Min(SegmentSize - offset, maxBytes + 1 - body.Length);
                var read = await stream.ReadAsync(segment.AsMemory(offset, room), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    var complete = body;
                    body = null;
                    return complete;
                }

                verifier?.Append(segment.AsSpan(offset, read));
                body.Length += read;
                if (body.Length > maxBytes)
                {
                    return null;
                }
            }
        }
        finally
        {
            body?.Dispose();
        }
    }

    /// <summary>The body as one block: the first segment itself when it fits there, else a copy.</summary>
    public ReadOnlyMemory<byte> ToMemory()
    {
        if (_segments.Count == 1 || Length == 0)
        {
            return _segments.Count == 0 ? ReadOnlyMemory<byte>.Empty : _segments[0].AsMemory(0, (int)Length);
        }

        var copy = GC.AllocateUninitializedArray<byte>((int)Length);
        var left = Length;
        var at = 0;
        foreach (var segment in _segments)
        {
            var n = (int)Math.Min(left, SegmentSize);
            segment.AsSpan(0, n).CopyTo(copy.AsSpan(at));
            at += n;
            left -= n;
        }

        return copy;
    }

    public void Dispose()
    {
        foreach (var segment in _segments)
        {
            pool.Return(segment);
        }

        _segments.Clear();
    }
}
