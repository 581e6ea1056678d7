using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReviewBot.Core.Ports;
using ReviewBot.Storage.Sqlite;

namespace ReviewBot.Storage.Tests;

/// <summary>
/// The queue worker over the real SQLite queue and store (one file): bounded concurrency across pull requests,
/// retries, poison, and draining on shutdown. The platform is the recording double.
/// </summary>
public sealed class QueueWorkerTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private readonly RecordingPlatform _platform = new();
    private SqliteReviewStore _store = null!;
    private SqliteWorkQueue _queue = null!;

    public Task InitializeAsync()
    {
        _store = SqliteReviewStore.Open(_dir.File("reviewbot.db"));
        _queue = new SqliteWorkQueue(_store.Database, TimeProvider.System, Options.Create(new StorageOptions()));
        return Task.CompletedTask;
    }

    private QueueWorker Worker(PipelineOptions options)
    {
        options.PollInterval = TimeSpan.FromMilliseconds(20);
        return new QueueWorker(
            _queue,
            Requests.Pipeline(_store, _store, _platform, TimeProvider.System, options),
            new PoisonRecorder(_store, TimeProvider.System),
            Options.Create(options),
            NullLogger<QueueWorker>.Instance);
    }

    [Fact]
    public async Task A_slow_pull_request_does_not_hold_back_a_benign_one()
    {
        var release = new TaskCompletionSource();
        _platform.OnLoad = (request, _) => request.Number == 7 ? release.Task : Task.CompletedTask;
        using var worker = Worker(new PipelineOptions { Concurrency = 2 });
        await worker.StartAsync(CancellationToken.None);

        await _queue.AcceptAsync("github", "slow", [Requests.For("slow", number: 7)]);
        await _queue.AcceptAsync("github", "benign", [Requests.For("benign", number: 8)]);

        Assert.True(await Eventually(() => _platform.Applied.Any(a => a.StartsWith("acme/api#8", StringComparison.Ordinal))), "the benign pull request waited for the slow one");
        Assert.DoesNotContain(_platform.Applied, a => a.StartsWith("acme/api#7", StringComparison.Ordinal));

        release.SetResult();
        Assert.True(await Eventually(() => _platform.Applied.Count == 2));
        await worker.StopAsync(CancellationToken.None);
        Assert.Empty(_queue.List());
    }

    [Fact]
    public async Task One_pull_requests_deliveries_run_one_at_a_time_in_order()
    {
        var running = 0;
        var overlapped = false;
        var seen = new List<string>();
        _platform.OnLoad = async (request, _) =>
        {
            overlapped |= Interlocked.Increment(ref running) > 1;
            lock (seen)
            {
                seen.Add(request.HeadSha!);
            }

            await Task.Delay(30);
            Interlocked.Decrement(ref running);
        };
        using var worker = Worker(new PipelineOptions { Concurrency = 4 });
        await worker.StartAsync(CancellationToken.None);

        for (var i = 1; i <= 6; i++)
        {
            await _queue.AcceptAsync("github", $"d-{i}", [Requests.For($"d-{i}", head: new string((char)('0' + i), 40))]);
            await Task.Delay(10);
        }

        Assert.True(await Eventually(() => _queue.List().Count == 0 && Volatile.Read(ref running) == 0));
        await worker.StopAsync(CancellationToken.None);
        Assert.False(overlapped, "two evaluations of one pull request ran at once");
        lock (seen)
        {
            Assert.Equal(seen.Order(StringComparer.Ordinal), seen); // heads only move forward
            Assert.Equal(new string('6', 40), seen[^1]); // the newest head is the last one evaluated
        }
    }

    [Fact]
    public async Task A_request_that_keeps_failing_becomes_poison_in_the_queue_and_the_audit_log()
    {
        _platform.FailingRepository = "acme/broken";
        using var worker = Worker(new PipelineOptions { MaxAttempts = 2, RetryBaseDelay = TimeSpan.Zero });
        await worker.StartAsync(CancellationToken.None);

        await _queue.AcceptAsync("github", "d-poison", [Requests.For("d-poison", repo: "acme/broken")]);

        Assert.True(await Eventually(() => _queue.List(poisonOnly: true).Count == 1));
        await worker.StopAsync(CancellationToken.None);
        var item = Assert.Single(_queue.List());
        Assert.Equal(("poison", 2), (item.State, item.Attempts));
        Assert.Contains("502", item.LastError, StringComparison.Ordinal);
        var poison = Assert.Single(await _store.ListAsync(new AuditQuery { Repository = "acme/broken" }), r => r.Id == "poison.d-poison");
        Assert.Contains("gave up after 2 attempt(s)", poison.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("ghs_ZZZZ", poison.Error, StringComparison.Ordinal);
        Assert.Empty(_platform.Applied);
    }

    [Fact]
    public async Task Stopping_waits_for_an_evaluation_in_flight()
    {
        var entered = new TaskCompletionSource();
        _platform.OnLoad = async (_, _) =>
        {
            entered.TrySetResult();
            await Task.Delay(300);
        };
        using var worker = Worker(new PipelineOptions { DrainTimeout = TimeSpan.FromSeconds(20) });
        await worker.StartAsync(CancellationToken.None);
        await _queue.AcceptAsync("github", "d-1", [Requests.For("d-1")]);
        await entered.Task;

        await worker.StopAsync(CancellationToken.None);

        Assert.Single(_platform.Applied);
        Assert.Empty(_queue.List());
    }

    [Fact]
    public async Task What_does_not_finish_within_the_drain_timeout_stays_queued_for_the_next_start()
    {
        var entered = new TaskCompletionSource();
        _platform.OnLoad = async (_, cancellationToken) =>
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        };
        using (var worker = Worker(new PipelineOptions { DrainTimeout = TimeSpan.FromMilliseconds(200) }))
        {
            await worker.StartAsync(CancellationToken.None);
            await _queue.AcceptAsync("github", "d-1", [Requests.For("d-1")]);
            await entered.Task;
            await worker.StopAsync(CancellationToken.None);
        }

        var item = Assert.Single(_queue.List());
        Assert.Equal(("ready", 0), (item.State, item.Attempts));
        Assert.Empty(_platform.Errors); // a shutdown is not an evaluation error

        _platform.OnLoad = null;
        using var next = Worker(new PipelineOptions());
        Assert.Equal(1, await next.RunDueAsync());
        Assert.Single(_platform.Applied);
        Assert.Empty(_queue.List());
    }

    private static async Task<bool> Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    public Task DisposeAsync()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
