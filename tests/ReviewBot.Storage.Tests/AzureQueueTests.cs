using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Storage.Azure;

namespace ReviewBot.Storage.Tests;

/// <summary>
/// The durable path against real Azurite: Storage queue + Table store + the queue worker. Side effects are counted
/// with the recording enforcer: a crashed worker's message comes back and completes once, duplicates act once,
/// and a message that keeps failing ends in the poison queue and the audit log.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureQueueTests
{
    private readonly StorageOptions _options;
    private readonly AzureStorageClients _clients;
    private readonly AzureTableReviewStore _store;
    private readonly RecordingPlatform _platform = new();
    private readonly QueueWorker _worker;
    private readonly AzureStorageReviewQueue _queue;

    public AzureQueueTests(AzuriteFixture azurite)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        _options = new StorageOptions
        {
            Provider = "azure",
            ConnectionString = azurite.ConnectionString,
            QueueName = "reviews-" + id,
            TablePrefix = "q" + id,
            VisibilityTimeout = TimeSpan.FromSeconds(30),
        };
        var pipeline = new PipelineOptions { LeaseDuration = TimeSpan.FromSeconds(20), MaxAttempts = 3, RetryBaseDelay = TimeSpan.Zero };
        _clients = new AzureStorageClients(_options);
        _store = new AzureTableReviewStore(_clients, TimeProvider.System, _options);
        _worker = new QueueWorker(
            new AzureStorageWorkQueue(_clients, Options.Create(_options)),
            Requests.Pipeline(_store, _store, _platform, TimeProvider.System, pipeline),
            new PoisonRecorder(_store, TimeProvider.System, Requests.Metrics),
            Options.Create(pipeline),
            new IntakeLoad(),
            TimeProvider.System,
            NullLogger<QueueWorker>.Instance);
        _queue = new AzureStorageReviewQueue(_clients.Queue());
    }

    [Fact]
    public async Task Messages_are_base64_json_as_the_Functions_queue_trigger_expects()
    {
        await _store.EnsureCreatedAsync();
        await _queue.EnqueueAsync(Requests.For("d-1"));

        // Read the wire form with a client that does not decode.
        var raw = new QueueClient(_options.ConnectionString, _options.QueueName);
        var message = (await raw.PeekMessageAsync()).Value;
        var json = Encoding.UTF8.GetString(Convert.FromBase64String(message.Body.ToString()));
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("acme/api", doc.RootElement.GetProperty("repository").GetString());
        Assert.Equal("d-1", ReviewMessage.Deserialize(json).DeliveryId);
    }

    [Fact]
    public async Task A_worker_that_dies_mid_job_leaves_the_message_to_come_back_and_complete_once()
    {
        await _store.EnsureCreatedAsync();
        await _queue.EnqueueAsync(Requests.For("d-crash"));

        // The doomed worker: receives the message (invisible for 2 s), claims the pull request, then dies —
        // no enforcement, no release, no delete.
        var doomed = (await _queue.Client.ReceiveMessageAsync(TimeSpan.FromSeconds(2))).Value;
        Assert.NotNull(doomed);
        var lease = await _store.ClaimAsync(Requests.For("d-crash").PullRequestKey, "d-crash", "doomed-worker", TimeSpan.FromSeconds(1));
        Assert.Equal(ClaimOutcome.Run, lease.Outcome);

        // While invisible, nobody sees it.
        Assert.Equal(0, await _worker.RunDueAsync());

        // After the visibility timeout it is redelivered; the dead worker's lease has expired; it completes once.
        var processed = await PollUntil(() => !_platform.Applied.IsEmpty, TimeSpan.FromSeconds(20));
        Assert.True(processed, "the redelivered message was not processed");
        Assert.Single(_platform.Applied);
        Assert.False((await _queue.Client.PeekMessagesAsync()).Value.Length > 0, "the message was not deleted after success");

        // The worker keeps polling: nothing further happens.
        await _worker.RunDueAsync();
        Assert.Single(_platform.Applied);
        var record = Assert.Single(await _store.ListAsync(new AuditQuery { Repository = "acme/api", Number = 7 }));
        Assert.Null(record.Error);
    }

    [Fact]
    public async Task A_duplicate_delivery_in_the_queue_acts_once()
    {
        await _store.EnsureCreatedAsync();
        await _queue.EnqueueAsync(Requests.For("d-dup"));
        await _queue.EnqueueAsync(Requests.For("d-dup"));
        await _queue.EnqueueAsync(Requests.For("d-dup"));

        await PollUntil(async () => (await _queue.Client.PeekMessagesAsync()).Value.Length == 0, TimeSpan.FromSeconds(20));

        Assert.Single(_platform.Applied);
        Assert.Single(await _store.ListAsync(new AuditQuery()));
    }

    [Fact]
    public async Task A_message_that_keeps_failing_moves_to_the_poison_queue_and_the_audit_log()
    {
        await _store.EnsureCreatedAsync();
        _platform.FailingRepository = "acme/broken";
        await _queue.EnqueueAsync(Requests.For("d-poison", repo: "acme/broken"));

        var poisoned = await PollUntil(
            async () => (await _clients.PoisonQueue().PeekMessagesAsync()).Value.Length == 1,
            TimeSpan.FromSeconds(30));

        Assert.True(poisoned, "the message never reached the poison queue");
        Assert.Empty(_platform.Applied);
        var records = await _store.ListAsync(new AuditQuery { Repository = "acme/broken" });
        var poison = Assert.Single(records, r => r.Id == "poison.d-poison");
        Assert.Contains("gave up after 3 attempt(s)", poison.Error, StringComparison.Ordinal);
        Assert.Contains("502", poison.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("ghs_ZZZZ", poison.Error, StringComparison.Ordinal);
        // Attempts 1 and 2 were retried quietly; the last one reported and audited the error before the poison record.
        Assert.Single(records, r => r.Error is not null && r.Id != "poison.d-poison");
    }

    [Fact]
    public async Task A_burst_for_one_head_enqueues_one_message()
    {
        await _store.EnsureCreatedAsync();
        var coalescing = new CoalescingReviewQueue(_queue, _store, NullLogger<CoalescingReviewQueue>.Instance);
        for (var i = 0; i < 10; i++)
        {
            await coalescing.EnqueueAsync(Requests.For($"d-{i}"));
        }

        await coalescing.EnqueueAsync(Requests.For("d-other-head", head: new string('2', 40)));

        var messages = (await _queue.Client.PeekMessagesAsync(maxMessages: 32)).Value;
        Assert.Equal(2, messages.Length);
    }

    private async Task<bool> PollUntil(Func<bool> done, TimeSpan timeout) => await PollUntil(() => Task.FromResult(done()), timeout);

    private async Task<bool> PollUntil(Func<Task<bool>> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            await _worker.RunDueAsync();
            if (await done())
            {
                return true;
            }

            await Task.Delay(200);
        }

        return false;
    }
}
