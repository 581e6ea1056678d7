using System.Threading.Channels;
using ReviewBot.Core.Ports;

namespace ReviewBot.Host;

/// <summary>
/// The default <see cref="IReviewQueue"/>: an in-process channel. Requests for a pull request that is already waiting
/// are coalesced into the waiting entry (the newest request wins: the evaluation reloads the pull request anyway), so a
/// burst of deliveries for one PR costs one evaluation. Not durable: a restart loses waiting requests.
/// </summary>
public sealed class InProcessReviewQueue : IReviewQueue
{
    private readonly Channel<string> _keys = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Dictionary<string, ReviewRequest> _pending = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _coalesced;

    /// <summary>Requests waiting to be evaluated.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Requests folded into one already waiting for the same pull request.</summary>
    public long Coalesced => Interlocked.Read(ref _coalesced);

    public static string KeyOf(ReviewRequest request)
        => request.Number > 0 ? request.PullRequestKey : $"{request.PullRequestKey}@{request.HeadSha ?? "*"}";

    public ValueTask EnqueueAsync(ReviewRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = KeyOf(request);
        lock (_gate)
        {
            if (_pending.ContainsKey(key))
            {
                _pending[key] = request;
                Interlocked.Increment(ref _coalesced);
                return ValueTask.CompletedTask;
            }

            _pending[key] = request;
        }

        if (!_keys.Writer.TryWrite(key))
        {
            throw new InvalidOperationException("the review queue is closed");
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Waits for the next request (oldest pull request first).</summary>
    public async ValueTask<ReviewRequest> DequeueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var key = await _keys.Reader.ReadAsync(cancellationToken);
            lock (_gate)
            {
                if (_pending.Remove(key, out var request))
                {
                    return request;
                }
            }
        }
    }

    /// <summary>Takes the next request if one is waiting.</summary>
    public bool TryDequeue(out ReviewRequest? request)
    {
        while (_keys.Reader.TryRead(out var key))
        {
            lock (_gate)
            {
                if (_pending.Remove(key, out request))
                {
                    return true;
                }
            }
        }

        request = null;
        return false;
    }
}
