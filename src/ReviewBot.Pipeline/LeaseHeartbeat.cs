using Microsoft.Extensions.Logging;

namespace ReviewBot.Pipeline;

/// <summary>
/// Keeps a lease alive while the work it covers runs: every <c>interval</c> it calls <c>renew</c>, which extends the
/// lease and answers false when the lease is no longer held (then the heartbeat stops: another worker has taken over,
/// and the store's compare-and-swap keeps the old holder from acting). A failed renewal is logged and tried again at
/// the next beat. Disposing stops it and waits for a renewal in flight, so nothing renews after the work is done.
/// </summary>
public sealed class LeaseHeartbeat : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private LeaseHeartbeat(TimeSpan interval, Func<CancellationToken, Task<bool>> renew, ILogger log, string what)
        => _loop = RunAsync(interval, renew, log, what, _stop.Token);

    /// <param name="what">The lease, for the log (<c>work item 12</c>, <c>github:acme/api#7</c>).</param>
    public static LeaseHeartbeat Start(TimeSpan interval, Func<CancellationToken, Task<bool>> renew, ILogger log, string what)
        => new(interval > TimeSpan.Zero ? interval : TimeSpan.FromSeconds(1), renew, log, what);

    /// <summary>A third of the lease: two beats may fail before the lease runs out.</summary>
    public static TimeSpan IntervalFor(TimeSpan lease) => lease / 3;

    private static async Task RunAsync(TimeSpan interval, Func<CancellationToken, Task<bool>> renew, ILogger log, string what, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                try
                {
                    if (!await renew(stop).ConfigureAwait(false))
                    {
                        log.LogWarning("The lease on {What} is no longer held by this evaluation; it stops renewing it", what);
                        return;
                    }
                }
                catch (Exception ex) when (!stop.IsCancellationRequested)
                {
                    log.LogWarning("Could not renew the lease on {What} (trying again in {Interval}): {Error}", what, interval, ReviewPipeline.Describe(ex));
                }
            }
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            // Stopping: whatever a renewal in flight threw no longer matters, and disposing must never replace the
            // work's own result with it.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
