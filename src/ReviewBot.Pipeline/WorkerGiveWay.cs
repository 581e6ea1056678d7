namespace ReviewBot.Pipeline;

/// <summary>
/// How many evaluations the <see cref="QueueWorker"/> runs at once right now. Acknowledgements are latency-critical
/// (a platform gives up on a delivery after about 10 s and redelivers it); evaluations are not: they wait durably in
/// the queue. So while deliveries arrive at <see cref="GiveWayOptions.DeliveriesPerSecond"/> or more (measured over
/// <see cref="Window"/>), the worker evaluates only <see cref="GiveWayOptions.Concurrency"/> pull requests at once
/// (never fewer than one: the queue always drains), and <see cref="PipelineOptions.Concurrency"/> again once a window
/// is below the rate. It gives way for at most <see cref="GiveWayOptions.MaxDuration"/> in one busy spell: after that
/// it runs at full concurrency until the intake has been below the rate for a window, so a stream that never
/// quietens cannot hold evaluations back for longer than that. Used by the worker's loop only (not thread-safe).
/// </summary>
public sealed class WorkerGiveWay
{
    /// <summary>The span the delivery rate is measured over.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(250);

    private readonly IntakeLoad _load;
    private readonly PipelineOptions _options;
    private readonly TimeProvider _time;
    private DateTimeOffset _windowStart;
    private long _windowDeliveries;
    private bool _busy;
    private DateTimeOffset? _givingWaySince;

    public WorkerGiveWay(IntakeLoad load, PipelineOptions options, TimeProvider time)
    {
        _load = load;
        _options = options;
        _time = time;
        _windowStart = time.GetUtcNow();
        _windowDeliveries = load.Deliveries;
    }

    /// <summary>Whether the worker is giving way now (it is evaluating fewer than <see cref="PipelineOptions.Concurrency"/> at once).</summary>
    public bool GivingWay { get; private set; }

    /// <summary>The intake's delivery rate over the last completed window.</summary>
    public double DeliveriesPerSecond { get; private set; }

    /// <summary>Evaluations the worker may run at once now: between 1 and <see cref="PipelineOptions.Concurrency"/>.</summary>
    public int Concurrency()
    {
        var full = Math.Max(1, _options.Concurrency);
        var settings = _options.GiveWay;
        if (!settings.Enabled)
        {
            return full;
        }

        var now = _time.GetUtcNow();
        var elapsed = now - _windowStart;
        if (elapsed >= Window)
        {
            var deliveries = _load.Deliveries;
            DeliveriesPerSecond = (deliveries - _windowDeliveries) / elapsed.TotalSeconds;
            _busy = DeliveriesPerSecond >= settings.DeliveriesPerSecond;
            _windowStart = now;
            _windowDeliveries = deliveries;
        }

        if (!_busy)
        {
            _givingWaySince = null;
        }
        else
        {
            _givingWaySince ??= now;
        }

        GivingWay = _givingWaySince is { } since && now - since < settings.MaxDuration;
        return GivingWay ? Math.Clamp(settings.Concurrency, 1, full) : full;
    }
}
