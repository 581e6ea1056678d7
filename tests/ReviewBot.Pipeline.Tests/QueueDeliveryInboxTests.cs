using ReviewBot.Core.Snapshot;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.Pipeline.Tests;

public sealed class QueueDeliveryInboxTests
{
    private static ReviewRequest Request(long number) => new()
    {
        Platform = Platform.GitHub, Repository = "octo/repo", Number = number, HeadSha = new string('a', 40), DeliveryId = "d-1", Event = "pull_request.opened",
    };

    [Fact]
    public async Task A_new_key_is_accepted_and_every_request_queued_a_repeated_key_is_a_duplicate()
    {
        var deliveries = new KeySet();
        var queue = new ListQueue();
        var inbox = new QueueDeliveryInbox(deliveries, queue);

        Assert.Equal(InboxOutcome.Accepted, await inbox.AcceptAsync("github", "d-1", [Request(1), Request(2)]));
        Assert.Equal(InboxOutcome.Duplicate, await inbox.AcceptAsync("github", "d-1", [Request(1), Request(2)]));
        Assert.Equal([1L, 2L], queue.Items.Select(r => r.Number));
    }

    [Fact]
    public async Task A_failed_enqueue_forgets_the_key_so_the_redelivery_is_accepted()
    {
        var deliveries = new KeySet();
        var queue = new ListQueue { FailNext = true };
        var inbox = new QueueDeliveryInbox(deliveries, queue);

        await Assert.ThrowsAsync<IOException>(() => inbox.AcceptAsync("github", "d-1", [Request(1)]));
        Assert.Equal(InboxOutcome.Accepted, await inbox.AcceptAsync("github", "d-1", [Request(1)]));
        Assert.Single(queue.Items);
    }

    private sealed class ListQueue : IReviewQueue
    {
        public List<ReviewRequest> Items { get; } = [];
        public bool FailNext { get; set; }

        public ValueTask EnqueueAsync(ReviewRequest request, CancellationToken cancellationToken = default)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new IOException("queue unavailable");
            }

            Items.Add(request);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class KeySet : IAuditStore
    {
        private readonly HashSet<string> _keys = [];

        public Task<bool> TryRecordDeliveryAsync(string platform, string deliveryId, CancellationToken cancellationToken = default)
            => Task.FromResult(_keys.Add(platform + "/" + deliveryId));

        public Task ForgetDeliveryAsync(string platform, string deliveryId, CancellationToken cancellationToken = default)
        {
            _keys.Remove(platform + "/" + deliveryId);
            return Task.CompletedTask;
        }

        public Task AppendAsync(AuditRecord record, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<AuditRecord?> GetAsync(string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
