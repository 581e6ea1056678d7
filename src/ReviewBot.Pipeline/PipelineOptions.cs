namespace ReviewBot.Pipeline;

/// <summary>
/// Settings of the review pipeline and its queue worker (section <c>ReviewBot:Worker</c>), the same for
/// <c>reviewbot serve</c> (SQLite queue), the Azure queue poller and the Functions queue trigger.
/// </summary>
public sealed class PipelineOptions
{
    public const string SectionName = "ReviewBot:Worker";

    /// <summary>Run the queue worker in this host (false when another host drains the queue, e.g. Azure Functions).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Pull requests evaluated at the same time (each pull request's own deliveries stay in order, one at a time).</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>
    /// Attempts of one work item before it becomes poison (the Functions trigger's <c>maxDequeueCount</c> in host.json
    /// should match). Only transient platform failures (5xx, rate limits, timeouts) are retried.
    /// </summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>First retry delay; doubles per attempt. A longer <c>Retry-After</c> from the platform wins.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Upper bound of the doubling back-off (a platform's <c>Retry-After</c> is honoured even when longer).</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Most pull requests one event without a pull request number (status, check suite, installation) fans out to.</summary>
    public int MaxPullRequestsPerEvent { get; set; } = 50;

    /// <summary>
    /// How long an evaluation holds its pull request before another worker may take over. Keep it below the queue's
    /// visibility timeout (<c>ReviewBot:Storage:VisibilityTimeout</c>), so a crashed worker's lease has ended when its
    /// work item comes back.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the worker looks for work it was not told about (other processes, retries coming due).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>On SIGTERM / Ctrl+C: how long in-flight evaluations may finish; what is not finished then stays queued.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Fewer evaluations at once while webhooks arrive fast, so acknowledgements keep their CPU (section <c>ReviewBot:Worker:GiveWay</c>).</summary>
    public GiveWayOptions GiveWay { get; set; } = new();

    /// <summary>The delay before attempt <paramref name="attempt"/> + 1: doubling from the base, capped, or the platform's Retry-After when longer.</summary>
    public TimeSpan RetryDelay(int attempt, TimeSpan? retryAfter)
    {
        var backoff = TimeSpan.FromTicks(Math.Min(RetryBaseDelay.Ticks * (1L << Math.Clamp(attempt - 1, 0, 20)), RetryMaxDelay.Ticks));
        return retryAfter is { } asked && asked > backoff ? asked : backoff;
    }
}

/// <summary>
/// When and how far the queue worker gives way to the webhook intake (see <see cref="WorkerGiveWay"/>). The longest an
/// evaluation can be held back by it is <see cref="MaxDuration"/> per busy spell, on top of the queue ahead of it.
/// </summary>
public sealed class GiveWayOptions
{
    public const string SectionName = PipelineOptions.SectionName + ":GiveWay";

    /// <summary>Give way at all (false: always <see cref="PipelineOptions.Concurrency"/>).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The intake is busy at this many deliveries per second or more (measured over a quarter of a second).</summary>
    public double DeliveriesPerSecond { get; set; } = 200;

    /// <summary>Evaluations at once while the intake is busy; at least 1, at most <see cref="PipelineOptions.Concurrency"/>.</summary>
    public int Concurrency { get; set; } = 1;

    /// <summary>Longest the worker gives way in one busy spell; then full concurrency until the intake is quiet again.</summary>
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromSeconds(30);
}
