using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReviewBot.Pipeline;

/// <summary>
/// Drains an <see cref="IWorkQueue"/> through the <see cref="ReviewPipeline"/>: up to
/// <see cref="PipelineOptions.Concurrency"/> pull requests at once (one slow pull request does not hold the others),
/// never two items of one pull request at once (its deliveries stay in order). While an item runs, a heartbeat extends
/// its lease every third of <see cref="PipelineOptions.LeaseDuration"/>, so a long evaluation is not taken up by
/// another worker when the visibility timeout would have ended. Outcomes map onto the queue the same
/// way everywhere: finished (completed, folded into another worker's evaluation, duplicate, superseded) → complete;
/// transient failure → reschedule after the pipeline's delay; failed for good or out of attempts → poison. On shutdown it stops leasing, lets
/// in-flight evaluations finish for <see cref="PipelineOptions.DrainTimeout"/>, then cancels them and gives their
/// items back to the queue. While the webhook intake is busy it evaluates fewer pull requests at once
/// (<see cref="WorkerGiveWay"/>), never none.
/// </summary>
public sealed class QueueWorker(
    IWorkQueue queue,
    ReviewPipeline pipeline,
    PoisonRecorder poison,
    IOptions<PipelineOptions> options,
    IntakeLoad intakeLoad,
    TimeProvider time,
    ILogger<QueueWorker> log) : BackgroundService
{
    private readonly PipelineOptions _options = options.Value;
    private readonly WorkerGiveWay _giveWay = new(intakeLoad, options.Value, time);
    private readonly CancellationTokenSource _abandon = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            log.LogInformation("Queue worker disabled (ReviewBot:Worker:Enabled=false)");
            return;
        }

        var running = new Dictionary<string, Task>(StringComparer.Ordinal);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                foreach (var done in running.Where(r => r.Value.IsCompleted).Select(r => r.Key).ToList())
                {
                    running.Remove(done);
                }

                IReadOnlyList<WorkItem> items = [];
                var givingWay = _giveWay.GivingWay;
                var free = _giveWay.Concurrency() - running.Count;
                if (_giveWay.GivingWay != givingWay)
                {
                    log.LogDebug("Giving way to the webhook intake: {GivingWay} ({Rate:0} deliveries/s)", _giveWay.GivingWay, _giveWay.DeliveriesPerSecond);
                }

                if (free > 0)
                {
                    try
                    {
                        items = await queue.LeaseAsync(free, running.Keys.ToHashSet(StringComparer.Ordinal), stoppingToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                    {
                        log.LogWarning("Could not lease work from the queue: {Error}", ReviewPipeline.Describe(ex));
                    }
                }

                foreach (var item in items)
                {
                    running[item.Key] = Task.Run(() => RunAsync(item), CancellationToken.None);
                }

                if (items.Count > 0 && items.Count == free)
                {
                    continue;
                }

                // Wake on an enqueue, a finished evaluation (a slot or a pull request became free) or the poll interval.
                var wake = queue.WaitForWorkAsync(_options.PollInterval, stoppingToken);
                await Task.WhenAny([wake, .. running.Values]).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await DrainAsync(running.Values).ConfigureAwait(false);
    }

    private async Task DrainAsync(ICollection<Task> running)
    {
        if (running.Count == 0)
        {
            return;
        }

        log.LogInformation("Stopping: waiting up to {Timeout} for {Count} evaluation(s) in flight", _options.DrainTimeout, running.Count);
        var all = Task.WhenAll(running);
        if (await Task.WhenAny(all, Task.Delay(_options.DrainTimeout)).ConfigureAwait(false) != all)
        {
            log.LogWarning("Drain timeout reached: cancelling the evaluations still running; their work stays queued");
            await _abandon.CancelAsync().ConfigureAwait(false);
            await all.ConfigureAwait(false);
        }
    }

    /// <summary>Leases what is due now (up to <see cref="PipelineOptions.Concurrency"/>) and runs it to the end; returns how many items ran. For tools and tests.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken = default)
    {
        var items = await queue.LeaseAsync(Math.Max(1, _options.Concurrency), new HashSet<string>(StringComparer.Ordinal), cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(items.Select(RunAsync)).ConfigureAwait(false);
        return items.Count;
    }

    /// <summary>One item through the pipeline, its outcome written back to the queue. Never throws.</summary>
    private async Task RunAsync(WorkItem leased)
    {
        var token = _abandon.Token;
        var item = leased;
        try
        {
            if (item.Request is null)
            {
                await ParkAsync(item, "unreadable message: " + item.ReadError).ConfigureAwait(false);
                return;
            }

            ReviewResult result;
            await using (var heartbeat = LeaseHeartbeat.Start(LeaseHeartbeat.IntervalFor(_options.LeaseDuration), async ct =>
            {
                // A queue may issue a new receipt with each extension: the outcome below is written with the latest.
                var extended = await queue.ExtendLeaseAsync(item, ct).ConfigureAwait(false);
                item = extended ?? item;
                return extended is not null;
            }, log, $"work item {item.Id} ({item.Key})"))
            {
                result = await pipeline.ProcessAsync(item.Request, item.Attempt, token).ConfigureAwait(false);
            }

            switch (result.Status)
            {
                case ReviewStatus.RetryLater:
                    await queue.RescheduleAsync(item, result.RetryAfter ?? _options.RetryBaseDelay, result.Reason, countsAsAttempt: true, CancellationToken.None)
                        .ConfigureAwait(false);
                    break;
                case ReviewStatus.Failed:
                    await ParkAsync(item, result.Reason).ConfigureAwait(false);
                    break;
                default:
                    await queue.CompleteAsync(item, CancellationToken.None).ConfigureAwait(false);
                    break;
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Shutdown: the item goes back as it was (the attempt is not counted) for the next start.
            await BestEffortAsync(() => queue.RescheduleAsync(item, TimeSpan.Zero, null, countsAsAttempt: false, CancellationToken.None), item).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The pipeline reports its own failures; this is a fault of the queue or the store: the lease ends and
            // the item comes back after the visibility timeout.
            log.LogError("Work item {Id} ({Key}): {Error}", item.Id, item.Key, ReviewPipeline.Describe(ex));
        }
    }

    private async Task ParkAsync(WorkItem item, string error)
    {
        await queue.PoisonAsync(item, error, CancellationToken.None).ConfigureAwait(false);
        await poison.RecordAsync(item.Message, item.Attempt, error, item.Id, CancellationToken.None).ConfigureAwait(false);
        log.LogError("Work item {Id} ({Key}) is poison after {Attempt} attempt(s): {Error}", item.Id, item.Key, item.Attempt, error);
    }

    private async Task BestEffortAsync(Func<Task> action, WorkItem item)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            log.LogWarning("Could not give work item {Id} back to the queue (it returns after the visibility timeout): {Error}", item.Id, ReviewPipeline.Describe(ex));
        }
    }

    public override void Dispose()
    {
        _abandon.Dispose();
        base.Dispose();
    }
}
