using Microsoft.Data.Sqlite;
using ReviewBot.Storage.Sqlite;

namespace ReviewBot.Storage.Tests;

/// <summary>Group commit on a real SQLite file: writes waiting together share one transaction, each all or nothing, each durable when its task completes.</summary>
public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly SqliteDatabase _db;

    public SqliteDatabaseTests() => _db = SqliteDatabase.Open(_dir.File("reviewbot.db"));

    private Task<int> Record(string delivery, Action<SqliteTransaction>? during = null, CancellationToken cancellationToken = default)
        => _db.WriteAsync((c, tx) =>
        {
            during?.Invoke(tx);
            using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO deliveries (platform, delivery_id, received_at) VALUES ('github', $d, 'now')";
            cmd.Parameters.AddWithValue("$d", delivery);
            return cmd.ExecuteNonQuery();
        }, cancellationToken);

    /// <summary>A write that holds the writer until <paramref name="release"/> is set; returns once it is running.</summary>
    private Task<int> Holding(string delivery, ManualResetEventSlim release)
    {
        using var started = new ManualResetEventSlim();
        var write = Record(delivery, _ =>
        {
            started.Set();
            release.Wait(TimeSpan.FromSeconds(30));
        });
        Assert.True(started.Wait(TimeSpan.FromSeconds(30)));
        return write;
    }

    private List<string> Stored()
    {
        using var c = _db.OpenReader();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT delivery_id FROM deliveries ORDER BY delivery_id";
        using var r = cmd.ExecuteReader();
        var ids = new List<string>();
        while (r.Read())
        {
            ids.Add(r.GetString(0));
        }

        return ids;
    }

    [Fact]
    public async Task Writes_waiting_while_the_writer_is_busy_share_one_transaction_and_each_is_visible_when_its_task_completes()
    {
        using var hold = new ManualResetEventSlim();
        var first = Holding("d-000", hold);

        // These queue up behind the held write; the writer then takes them all in one batch.
        var transactions = new SqliteTransaction?[50];
        var waiting = Enumerable.Range(1, 50)
            .Select(i => Record($"d-{i:D3}", tx => transactions[i - 1] = tx))
            .ToList();
        hold.Set();

        await first;
        foreach (var (write, i) in waiting.Select((w, i) => (w, i)))
        {
            await write;

            // Completed means committed: a separate reader connection already sees the row.
            Assert.Contains($"d-{i + 1:D3}", Stored());
        }

        Assert.Single(transactions.Distinct());
        Assert.Equal(51, Stored().Count);
    }

    [Fact]
    public async Task A_write_that_throws_rolls_back_only_itself_and_its_caller_gets_its_exception()
    {
        using var hold = new ManualResetEventSlim();
        var first = Holding("d-0", hold);
        var before = Record("d-1");
        var failing = _db.WriteAsync<int>((c, tx) =>
        {
            using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO deliveries (platform, delivery_id, received_at) VALUES ('github', 'd-bad', 'now')";
            cmd.ExecuteNonQuery();
            throw new InvalidOperationException("the work failed after writing a row");
        }, CancellationToken.None);
        var after = Record("d-2");
        hold.Set();

        await Task.WhenAll(first, before, after);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal("the work failed after writing a row", error.Message);
        Assert.Equal(["d-0", "d-1", "d-2"], Stored());
    }

    [Fact]
    public async Task A_write_refused_by_a_constraint_fails_alone_and_the_next_write_still_commits()
    {
        await Assert.ThrowsAsync<SqliteException>(() => Task.WhenAll(Record("d-1"), Record("d-1")));
        Assert.Equal(1, await Record("d-2"));
        Assert.Equal(["d-1", "d-2"], Stored());
    }

    [Fact]
    public async Task A_write_cancelled_before_it_started_is_not_run()
    {
        using var hold = new ManualResetEventSlim();
        var first = Holding("d-0", hold);
        using var cancel = new CancellationTokenSource();
        var cancelled = Record("d-1", cancellationToken: cancel.Token);
        await cancel.CancelAsync();
        hold.Set();

        await first;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(["d-0"], Stored());
    }

    [Fact]
    public async Task Disposing_finishes_the_writes_already_queued_and_refuses_new_ones()
    {
        var queued = Enumerable.Range(0, 20).Select(i => Record($"d-{i:D2}")).ToList();
        await _db.DisposeAsync();

        Assert.All(queued, w => Assert.True(w.IsCompletedSuccessfully));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Record("late"));
        using var reopened = SqliteDatabase.Open(_dir.File("reviewbot.db"));
        using var c = reopened.OpenReader();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM deliveries";
        Assert.Equal(20L, cmd.ExecuteScalar());
    }

    public void Dispose()
    {
        _db.Dispose();
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
