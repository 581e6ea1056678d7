using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using ReviewBot.Storage.Sqlite;

namespace ReviewBot.Storage.Tests;

/// <summary>The embedded durable queue on a real SQLite file: one-transaction intake, coalescing, leases, poison, migration.</summary>
public sealed class SqliteWorkQueueTests : IDisposable
{
    private static readonly IReadOnlySet<string> None = new HashSet<string>();
    private readonly TempDir _dir = new();
    private readonly ManualClock _clock = new(AuditSamples.T0);
    private readonly List<SqliteDatabase> _open = [];

    private string DbPath => _dir.File("reviewbot.db");

    private SqliteWorkQueue Open(TimeSpan? visibility = null)
    {
        var db = SqliteDatabase.Open(DbPath);
        _open.Add(db);
        return new SqliteWorkQueue(db, _clock, Options.Create(new StorageOptions { VisibilityTimeout = visibility ?? TimeSpan.FromMinutes(10) }));
    }

    [Fact]
    public async Task An_accepted_delivery_is_on_disk_with_its_requests_and_a_second_copy_is_a_duplicate()
    {
        var queue = Open();
        Assert.Equal(InboxOutcome.Accepted, await queue.AcceptAsync("github", "d-1", [Requests.For("d-1", number: 7), Requests.For("d-1", number: 8)]));
        Assert.Equal(InboxOutcome.Duplicate, await queue.AcceptAsync("github", "d-1", [Requests.For("d-1", number: 7)]));

        // Another process opening the file (a restart) sees both requests and the recorded key.
        SqliteConnection.ClearAllPools();
        var reopened = Open();
        Assert.Equal(["github:acme/api#7", "github:acme/api#8"], reopened.List().Select(w => w.Key));
        Assert.Equal(InboxOutcome.Duplicate, await reopened.AcceptAsync("github", "d-1", []));
    }

    [Fact]
    public async Task A_delivery_whose_requests_cannot_be_stored_leaves_no_key_behind()
    {
        var queue = Open();
        Raw("CREATE TRIGGER refuse BEFORE INSERT ON work_items WHEN NEW.work_key LIKE '%#9' BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END");

        await Assert.ThrowsAsync<SqliteException>(() => queue.AcceptAsync("github", "d-1", [Requests.For("d-1", number: 7), Requests.For("d-1", number: 9)]));
        Raw("DROP TRIGGER refuse");

        Assert.Empty(queue.List());
        Assert.Equal(InboxOutcome.Accepted, await queue.AcceptAsync("github", "d-1", [Requests.For("d-1", number: 7)])); // the redelivery is accepted
    }

    [Fact]
    public async Task Deliveries_for_a_waiting_pull_request_fold_into_its_item_and_the_newest_request_wins()
    {
        var queue = Open();
        await queue.AcceptAsync("github", "d-1", [Requests.For("d-1")]);
        await queue.AcceptAsync("github", "d-2", [Requests.For("d-2", head: new string('2', 40))]);
        await queue.AcceptAsync("github", "d-3", [Requests.For("d-3", head: new string('3', 40))]);

        var item = Assert.Single(queue.List());
        Assert.Equal(("d-3", 2), (item.DeliveryId, item.Folded));
        Assert.Equal(new string('3', 40), ReviewMessage.Deserialize(item.Message).HeadSha);
    }

    [Fact]
    public async Task A_pull_request_with_a_leased_item_gets_no_second_lease_until_it_is_finished()
    {
        var queue = Open();
        await queue.AcceptAsync("github", "d-1", [Requests.For("d-1")]);
        var first = Assert.Single(await queue.LeaseAsync(4, None));

        // A newer delivery for the same pull request waits behind the one in flight; other pull requests do not.
        await queue.AcceptAsync("github", "d-2", [Requests.For("d-2", head: new string('2', 40))]);
        await queue.AcceptAsync("github", "d-3", [Requests.For("d-3", number: 8)]);
        var other = Assert.Single(await queue.LeaseAsync(4, None));
        Assert.Equal("d-3", other.Request!.DeliveryId);

        await queue.CompleteAsync(first);
        var next = Assert.Single(await queue.LeaseAsync(4, None));
        Assert.Equal(("d-2", 1), (next.Request!.DeliveryId, next.Attempt));
    }

    [Fact]
    public async Task A_crashed_workers_item_comes_back_after_the_visibility_timeout_and_its_stale_receipt_does_nothing()
    {
        var queue = Open(visibility: TimeSpan.FromSeconds(30));
        await queue.AcceptAsync("github", "d-1", [Requests.For("d-1")]);
        var dead = Assert.Single(await queue.LeaseAsync(1, None));
        Assert.Equal("leased", Assert.Single(queue.List()).State);

        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(await queue.LeaseAsync(1, None));
        _clock.Advance(TimeSpan.FromSeconds(2));
        var again = Assert.Single(await queue.LeaseAsync(1, None));
        Assert.Equal(2, again.Attempt);

        await queue.CompleteAsync(dead); // the dead worker's late completion is ignored
        Assert.Single(queue.List());
        await queue.CompleteAsync(again);
        Assert.Empty(queue.List());
    }

    [Fact]
    public async Task An_extended_lease_keeps_the_item_from_other_workers_and_a_stale_receipt_cannot_extend()
    {
        var queue = Open(visibility: TimeSpan.FromSeconds(30));
        await queue.AcceptAsync("github", "d-1", [Requests.For("d-1")]);
        var running = Assert.Single(await queue.LeaseAsync(1, None));

        _clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Same(running, await queue.ExtendLeaseAsync(running));
        _clock.Advance(TimeSpan.FromSeconds(20)); // 40 s after the lease: past the first term, within the extension
        Assert.Empty(await queue.LeaseAsync(1, None));

        _clock.Advance(TimeSpan.FromSeconds(11));
        var taken = Assert.Single(await queue.LeaseAsync(1, None));
        Assert.Null(await queue.ExtendLeaseAsync(running)); // its lease ended and another worker holds the item
        Assert.Same(taken, await queue.ExtendLeaseAsync(taken));
    }

    [Fact]
    public async Task A_rescheduled_item_waits_its_delay_and_a_returned_one_keeps_its_attempt_count()
    {
        var queue = Open();
        await queue.AcceptAsync("github", "d-1", [Requests.For("d-1")]);
        var item = Assert.Single(await queue.LeaseAsync(1, None));
        await queue.RescheduleAsync(item, TimeSpan.FromMinutes(7), "rate limited", countsAsAttempt: true);

        _clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Empty(await queue.LeaseAsync(1, None));
        Assert.Equal("rate limited", Assert.Single(queue.List()).LastError);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var second = Assert.Single(await queue.LeaseAsync(1, None));
        Assert.Equal(2, second.Attempt);

        await queue.RescheduleAsync(second, TimeSpan.Zero, null, countsAsAttempt: false); // shutdown: given back
        Assert.Equal(2, Assert.Single(await queue.LeaseAsync(1, None)).Attempt);
    }

    [Fact]
    public async Task Poison_items_are_listed_and_can_be_retried_or_dropped()
    {
        var queue = Open();
        await queue.AcceptAsync("github", "d-1", [Requests.For("d-1", number: 7), Requests.For("d-1", number: 8)]);
        foreach (var item in await queue.LeaseAsync(2, None))
        {
            await queue.PoisonAsync(item, "HttpRequestException: 502");
        }

        Assert.Equal(2, queue.List(poisonOnly: true).Count);
        Assert.Empty(await queue.LeaseAsync(2, None));

        var ids = queue.List().Select(w => w.Id).ToList();
        Assert.Equal(1, await queue.RetryAsync([ids[0]]));
        var retried = Assert.Single(await queue.LeaseAsync(2, None));
        Assert.Equal((1, "github:acme/api#7"), (retried.Attempt, retried.Key));

        Assert.Equal(1, await queue.DropAsync([]));
        Assert.Empty(queue.List(poisonOnly: true));
    }

    [Fact]
    public async Task A_database_written_before_the_queue_existed_migrates_on_open_and_keeps_its_data()
    {
        // Schema version 1 as the previous release wrote it: no work_items table.
        using (var old = new SqliteConnection($"Data Source={DbPath}"))
        {
            old.Open();
            using var cmd = old.CreateCommand();
            cmd.CommandText = """
                CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL);
                INSERT INTO schema_version VALUES (1, '2026-11-01T00:00:00Z');
                CREATE TABLE deliveries (platform TEXT NOT NULL, delivery_id TEXT NOT NULL, received_at TEXT NOT NULL, PRIMARY KEY (platform, delivery_id)) WITHOUT ROWID;
                INSERT INTO deliveries VALUES ('github', 'old-delivery', '2026-11-01T00:00:00Z');
                CREATE TABLE completed_deliveries (delivery_id TEXT NOT NULL PRIMARY KEY, completed_at TEXT NOT NULL) WITHOUT ROWID;
                CREATE TABLE pull_requests (pr_key TEXT NOT NULL PRIMARY KEY, version INTEGER NOT NULL, sequence INTEGER NOT NULL, applied_sequence INTEGER NOT NULL,
                    head_sha TEXT, lease_owner TEXT, lease_delivery TEXT, lease_until INTEGER, dirty INTEGER NOT NULL, queued_head TEXT, queued_until INTEGER, updated_at TEXT NOT NULL) WITHOUT ROWID;
                CREATE TABLE audit (id TEXT NOT NULL PRIMARY KEY, time TEXT NOT NULL, time_ticks INTEGER NOT NULL, platform TEXT NOT NULL, repository TEXT NOT NULL,
                    number INTEGER NOT NULL, head_sha TEXT NOT NULL, delivery_id TEXT, event TEXT, state TEXT NOT NULL, rules TEXT, json TEXT NOT NULL);
                """;
            cmd.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        var queue = Open();

        Assert.Equal(SqliteDatabase.LatestVersion, queue.Database.SchemaVersion());
        Assert.Equal(4, SqliteDatabase.LatestVersion);
        Assert.Equal(InboxOutcome.Duplicate, await queue.AcceptAsync("github", "old-delivery", [Requests.For("old-delivery")]));
        Assert.Equal(InboxOutcome.Accepted, await queue.AcceptAsync("github", "new-delivery", [Requests.For("new-delivery")]));
        Assert.Single(queue.List());
    }

    private void Raw(string sql)
    {
        using var c = new SqliteConnection($"Data Source={DbPath}");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (var db in _open)
        {
            db.Dispose();
        }

        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
