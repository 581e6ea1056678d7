using ReviewBot.Core.Ports;
using ReviewBot.Storage.Processing;
using ReviewBot.Storage.Sqlite;

namespace ReviewBot.Storage.Tests;

/// <summary>The worker's evaluation loop over a real SQLite store: exactly-once side effects, folding, failures.</summary>
public sealed class ProcessorTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly SqliteReviewStore _store;
    private readonly RecordingPlatform _platform = new();
    private readonly DurableReviewProcessor _processor;

    public ProcessorTests()
    {
        _store = SqliteReviewStore.Open(_dir.File("reviewbot.db"));
        _processor = Requests.Processor(_store, _store, _platform, TimeProvider.System);
    }

    [Fact]
    public async Task A_delivery_processed_twice_acts_once()
    {
        var first = await _processor.ProcessAsync(Requests.For("d-1"));
        var second = await _processor.ProcessAsync(Requests.For("d-1"));

        Assert.Equal(ProcessStatus.Completed, first.Status);
        Assert.Equal(ProcessStatus.Duplicate, second.Status);
        Assert.Single(_platform.Applied);
        var record = Assert.Single(await _store.ListAsync(new AuditQuery()));
        Assert.Equal("d-1", record.DeliveryId);
        Assert.Equal(_platform.Applied.Single(), Assert.Single(record.Actions));
    }

    [Fact]
    public async Task Concurrent_copies_of_one_delivery_act_once()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => _processor.ProcessAsync(Requests.For("d-1")))));

        Assert.Single(_platform.Applied);
        Assert.Single(results, r => r.Status == ProcessStatus.Completed);
    }

    [Fact]
    public async Task A_burst_during_an_evaluation_is_folded_into_one_more_pass()
    {
        var entered = new TaskCompletionSource();
        var hold = new TaskCompletionSource();
        var calls = 0;
        _platform.OnLoad = () =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                entered.SetResult();
                return hold.Task;
            }

            return Task.CompletedTask;
        };

        var holder = _processor.ProcessAsync(Requests.For("d-0"));
        await entered.Task;
        var burst = await Task.WhenAll(Enumerable.Range(1, 5).Select(i => _processor.ProcessAsync(Requests.For($"d-{i}"))));
        hold.SetResult();
        var result = await holder;

        Assert.All(burst, r => Assert.Equal(ProcessStatus.Folded, r.Status));
        Assert.Equal(ProcessStatus.Completed, result.Status);
        Assert.Equal(2, result.Passes);
        Assert.Equal(2, _platform.Applied.Count);
        Assert.Equal(2, (await _store.ListAsync(new AuditQuery())).Count);
    }

    [Fact]
    public async Task A_failed_evaluation_reports_no_success_records_the_error_and_the_retry_acts_once()
    {
        _platform.OnLoad = () => throw new TimeoutException("GitHub did not answer within 10 s");

        await Assert.ThrowsAsync<TimeoutException>(() => _processor.ProcessAsync(Requests.For("d-1")));
        Assert.Empty(_platform.Applied);
        Assert.Empty(_platform.Errors); // no snapshot yet: nothing to report on
        var error = Assert.Single(await _store.ListAsync(new AuditQuery()));
        Assert.Contains("did not answer", error.Error, StringComparison.Ordinal);

        // Failing after the snapshot loaded: the head is marked as failed, never as passing.
        _platform.OnLoad = null;
        _platform.FailMarkInProgress = true;
        await Assert.ThrowsAsync<HttpRequestException>(() => _processor.ProcessAsync(Requests.For("d-1")));
        Assert.Contains("503", Assert.Single(_platform.Errors), StringComparison.Ordinal);
        Assert.Empty(_platform.Applied);

        _platform.FailMarkInProgress = false;
        var retry = await _processor.ProcessAsync(Requests.For("d-1"));
        Assert.Equal(ProcessStatus.Completed, retry.Status);
        Assert.Single(_platform.Applied);
    }

    [Fact]
    public async Task An_event_without_a_pull_request_number_fans_out_once_per_open_pull_request()
    {
        _platform.OpenPullRequests = [7, 8];
        var status = Requests.For("d-status", number: 0) with { Event = "status" };

        var first = await _processor.ProcessAsync(status);
        var redelivered = await _processor.ProcessAsync(status);

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
