using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using ReviewBot.Core.Pipeline;
using ReviewBot.Core.Snapshot;
using ReviewBot.Pipeline.Intake;

namespace ReviewBot.Pipeline.Telemetry;

/// <summary>
/// ReviewBot's instruments on the one meter (<see cref="ReviewTracing.Name"/>), documented in docs/telemetry.md:
/// deliveries by outcome, evaluations (latency and platform API requests), retries, poison messages, and the durable
/// queue's depth and oldest item as observable gauges. Tags are platform, outcome and status names only: never a
/// secret, a payload, a repository or a person. Nothing is exported unless the host configures an exporter.
/// </summary>
public sealed class ReviewBotMetrics
{
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _evaluationDuration;
    private readonly Histogram<long> _apiRequests;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _poison;

    /// <param name="queues">The durable queue's statistics, when this host can read them (the gauges are left out otherwise).</param>
    public ReviewBotMetrics(IMeterFactory meters, IEnumerable<IQueueStatistics> queues)
    {
        var meter = meters.Create(ReviewTracing.Name);
        _deliveries = meter.CreateCounter<long>(
            "reviewbot.webhook.deliveries", "{delivery}", "Webhook deliveries answered, by platform and outcome.");
        _evaluationDuration = meter.CreateHistogram<double>(
            "reviewbot.evaluation.duration", "s", "Time of one evaluation pass (load, classify, analyze, evaluate, enforce), by platform and status.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] });
        _apiRequests = meter.CreateHistogram<long>(
            "reviewbot.evaluation.api_requests", "{request}", "Platform API requests one evaluation pass made (retried calls count each attempt), by platform.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [5, 10, 20, 50, 100, 200, 500, 1000] });
        _retries = meter.CreateCounter<long>(
            "reviewbot.retries", "{retry}", "Work items given back to the queue to be tried again after a transient failure, by platform.");
        _poison = meter.CreateCounter<long>(
            "reviewbot.poison_messages", "{message}", "Work items that failed for good or ran out of attempts and were parked for an operator, by platform.");

        if (queues.FirstOrDefault() is { } statistics)
        {
            // The three gauges are read together on each collection: one read of the queue serves them all.
            var queue = new CachedQueueStatistics(statistics, TimeProvider.System);
            meter.CreateObservableGauge("reviewbot.queue.depth", () => queue.Read().Depth, "{item}",
                "Work items waiting in the durable queue or being evaluated (poison excluded).");
            meter.CreateObservableGauge("reviewbot.queue.oldest_age", () => queue.Read().OldestAge.TotalSeconds, "s",
                "Age of the oldest work item in the durable queue (0 when empty).");
            meter.CreateObservableGauge("reviewbot.queue.poisoned", () => queue.Read().Poisoned, "{item}",
                "Work items parked as poison, waiting for an operator.");
        }
    }

    /// <summary>Counts one answered delivery under its <see cref="DeliveryOutcome"/>.</summary>
    public string RecordDelivery(Platform platform, WebhookAnswer answer)
    {
        var outcome = DeliveryOutcome(answer);
        _deliveries.Add(1, new KeyValuePair<string, object?>("reviewbot.platform", platform.Id), new KeyValuePair<string, object?>("reviewbot.outcome", outcome));
        return outcome;
    }

    /// <summary>
    /// The outcome tag of an answered delivery: <c>accepted</c>, <c>duplicate</c>, <c>ignored</c>,
    /// <c>rejected_signature</c> (401), <c>too_large</c> (413), <c>bad_payload</c> (400, 415), <c>timeout</c> (408),
    /// <c>unavailable</c> (503: the body budget or the store).
    /// </summary>
    public static string DeliveryOutcome(WebhookAnswer answer) => answer.StatusCode switch
    {
        StatusCodes.Status202Accepted => "accepted",
        StatusCodes.Status200OK => answer.Status == "duplicate" ? "duplicate" : "ignored",
        StatusCodes.Status401Unauthorized => "rejected_signature",
        StatusCodes.Status413PayloadTooLarge => "too_large",
        StatusCodes.Status408RequestTimeout => "timeout",
        StatusCodes.Status503ServiceUnavailable => "unavailable",
        _ => "bad_payload",
    };

    /// <summary>Records one evaluation pass: its latency and the platform API requests it made.</summary>
    public void RecordEvaluation(Platform platform, string status, TimeSpan elapsed, long apiRequests)
    {
        var platformTag = new KeyValuePair<string, object?>("reviewbot.platform", platform.Id);
        _evaluationDuration.Record(elapsed.TotalSeconds, platformTag, new KeyValuePair<string, object?>("reviewbot.status", status));
        _apiRequests.Record(apiRequests, platformTag);
    }

    public void RecordRetry(Platform platform) => _retries.Add(1, new KeyValuePair<string, object?>("reviewbot.platform", platform.Id));

    /// <param name="platform">The platform's name, <c>unknown</c> when the message could not be read.</param>
    public void RecordPoison(string platform) => _poison.Add(1, new KeyValuePair<string, object?>("reviewbot.platform", platform));


    /// <summary>The evaluation status tag: <c>completed</c>, <c>superseded</c>, <c>retry_later</c>, <c>failed</c>, or <c>cancelled</c> on shutdown.</summary>
    public static string StatusName(ReviewStatus? status) => status switch
    {
        null => "cancelled",
        ReviewStatus.RetryLater => "retry_later",
        { } known => known.ToString().ToLowerInvariant(),
    };
}

/// <summary>What the durable queue holds right now, for the queue gauges.</summary>
/// <param name="Depth">Items waiting or being evaluated (poison excluded).</param>
/// <param name="OldestAge">Age of the oldest of them; zero when there is none.</param>
/// <param name="Poisoned">Items parked as poison.</param>
public readonly record struct QueueStatistics(long Depth, TimeSpan OldestAge, long Poisoned);

/// <summary>Reads the durable queue's statistics when a metrics exporter collects (synchronously: gauges are read on collection).</summary>
public interface IQueueStatistics
{
    QueueStatistics Read();
}

/// <summary>One read of the queue per collection, however many gauges ask (a read serves for 200 ms).</summary>
internal sealed class CachedQueueStatistics(IQueueStatistics inner, TimeProvider time) : IQueueStatistics
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(200);
    private readonly Lock _gate = new();
    private (QueueStatistics Value, long At)? _last;

    public QueueStatistics Read()
    {
        lock (_gate)
        {
            if (_last is not { } last || time.GetElapsedTime(last.At) > MaxAge)
            {
                _last = last = (inner.Read(), time.GetTimestamp());
            }

            return last.Value;
        }
    }
}
