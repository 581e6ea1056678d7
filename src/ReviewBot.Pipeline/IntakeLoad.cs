namespace ReviewBot.Pipeline;

/// <summary>
/// The one signal the webhook intake shares with the queue worker: how many deliveries have arrived since the
/// process started (refused ones too: they cost the intake as much). The intake counts; the worker's
/// <see cref="WorkerGiveWay"/> turns the count into a rate. One interlocked increment per delivery.
/// </summary>
public sealed class IntakeLoad
{
    private long _deliveries;

    /// <summary>Deliveries that reached the intake so far.</summary>
    public long Deliveries => Interlocked.Read(ref _deliveries);

    /// <summary>Called by the intake once per delivery, when it arrives.</summary>
    public void RecordDelivery() => Interlocked.Increment(ref _deliveries);
}
