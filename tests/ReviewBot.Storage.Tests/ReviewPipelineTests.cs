using ReviewBot.Pipeline;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Storage.Sqlite;

namespace ReviewBot.Storage.Tests;

/// <summary>The review pipeline over a real SQLite store: exactly-once side effects, folding, retries, failures.</summary>
public sealed class ReviewPipelineTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly SqliteReviewStore _store;
    private readonly RecordingPlatform _platform = new();
    private readonly ReviewPipeline _processor;

    public ReviewPipelineTests()
    {
        _store = SqliteReviewStore.Open(_dir.File("reviewbot.db"));
        _processor = Requests.Pipeline(_store, _store, _platform, TimeProvider.System, new PipelineOptions { MaxAttempts = 3 });
    }

    [Fact]
    public async Task A_delivery_processed_twice_acts_once()
    {
        var first = await _processor.ProcessAsync(Requests.For("d-1"), attempt: 1);
        var second = await _processor.ProcessAsync(Requests.For("d-1"), attempt: 1);

        Assert.Equal(ReviewStatus.Completed, first.Status);
        Assert.Equal(ReviewStatus.Duplicate, second.Status);
        Assert.Single(_platform.Applied);
        var record = Assert.Single(await _store.ListAsync(new AuditQuery()));
        Assert.Equal("d-1", record.DeliveryId);
        Assert.Equal(_platform.Applied.Single(), Assert.Single(record.Actions));
    }

    [Fact]
    public async Task Concurrent_copies_of_one_delivery_act_once()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => _processor.ProcessAsync(Requests.For("d-1"), attempt: 1))));

        Assert.Single(_platform.Applied);
        Assert.Single(results, r => r.Status == ReviewStatus.Completed);
    }

    [Fact]
    public async Task A_burst_during_an_evaluation_is_folded_into_one_more_pass()
    {
        var entered = new TaskCompletionSource();
        var hold = new TaskCompletionSource();
        var calls = 0;
        _platform.OnLoad = (_, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                entered.SetResult();
                return hold.Task;
            }

            return Task.CompletedTask;
        };

        var holder = _processor.ProcessAsync(Requests.For("d-0"), attempt: 1);
        await entered.Task;
        var burst = await Task.WhenAll(Enumerable.Range(1, 5).Select(i => _processor.ProcessAsync(Requests.For($"d-{i}"), attempt: 1)));
        hold.SetResult();
        var result = await holder;

        Assert.All(burst, r => Assert.Equal(ReviewStatus.Folded, r.Status));
        Assert.Equal(ReviewStatus.Completed, result.Status);
        Assert.Equal(2, result.Passes);
        Assert.Equal(2, _platform.Applied.Count);
        Assert.Equal(2, (await _store.ListAsync(new AuditQuery())).Count);
    }

    [Fact]
    public async Task A_transient_failure_is_retried_later_and_the_last_attempt_reports_the_error_never_success()
    {
        _platform.OnLoad = (_, _) => throw new TimeoutException("GitHub did not answer within 10 s");

        var first = await _processor.ProcessAsync(Requests.For("d-1"), attempt: 1);
        Assert.Equal(ReviewStatus.RetryLater, first.Status);
        Assert.Equal(TimeSpan.FromSeconds(2), first.RetryAfter);
        Assert.Empty(await _store.ListAsync(new AuditQuery()));

        var last = await _processor.ProcessAsync(Requests.For("d-1"), attempt: 3);
        Assert.Equal(ReviewStatus.Failed, last.Status);
        Assert.Empty(_platform.Applied);
        var error = Assert.Single(await _store.ListAsync(new AuditQuery()));
        Assert.Contains("did not answer", error.Error, StringComparison.Ordinal);
        Assert.Contains("did not answer", Assert.Single(_platform.Errors), StringComparison.Ordinal); // on the head the request named

        // Failing for good after the snapshot loaded: the head is marked as failed, never as passing.
        _platform.OnLoad = null;
        _platform.FailMarkInProgress = true;
        Assert.Equal(ReviewStatus.Failed, (await _processor.ProcessAsync(Requests.For("d-1"), attempt: 3)).Status);
        Assert.Contains("503", _platform.Errors.Last(), StringComparison.Ordinal);
        Assert.Empty(_platform.Applied);

        _platform.FailMarkInProgress = false;
        var retry = await _processor.ProcessAsync(Requests.For("d-1"), attempt: 1);
        Assert.Equal(ReviewStatus.Completed, retry.Status);
        Assert.Single(_platform.Applied);
    }

    [Fact]
    public async Task A_platform_retry_after_longer_than_the_back_off_is_honoured()
    {
        _platform.OnLoad = (_, _) => throw new PlatformTransientException("secondary rate limit", TimeSpan.FromMinutes(7));

        var result = await _processor.ProcessAsync(Requests.For("d-1"), attempt: 2);

        Assert.Equal(ReviewStatus.RetryLater, result.Status);
        Assert.Equal(TimeSpan.FromMinutes(7), result.RetryAfter);
    }

    [Fact]
    public async Task A_non_transient_failure_is_not_retried()
    {
        _platform.OnLoad = (_, _) => throw new InvalidOperationException("the repository was deleted");

        var result = await _processor.ProcessAsync(Requests.For("d-1"), attempt: 1);

        Assert.Equal(ReviewStatus.Failed, result.Status);
        Assert.Contains("deleted", Assert.Single(await _store.ListAsync(new AuditQuery())).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_event_without_a_pull_request_number_fans_out_once_per_open_pull_request()
    {
        _platform.OpenPullRequests = [7, 8];
        var status = Requests.For("d-status", number: 0) with { Event = "status" };

        var first = await _processor.ProcessAsync(status, attempt: 1);
        var redelivered = await _processor.ProcessAsync(status, attempt: 1);

        Assert.Equal(2, first.Passes);
        Assert.Equal(0, redelivered.Passes);
        Assert.Equal(2, _platform.Applied.Count);
        Assert.Equal(["d-status#8", "d-status#7"], (await _store.ListAsync(new AuditQuery())).Select(r => r.DeliveryId!).ToArray());
    }

    public void Dispose()
    {
        _store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
