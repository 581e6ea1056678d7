using Microsoft.Data.Sqlite;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Storage.Sqlite;

namespace ReviewBot.Storage.Tests;

/// <summary>The store contract against a real SQLite file, plus what only a file can show (reopen, schema, bytes on disk).</summary>
public sealed class SqliteStoreTests : StoreContractTests, IDisposable
{
    private readonly TempDir _dir = new();
    private readonly List<SqliteReviewStore> _open = [];

    private string DbPath => _dir.File("reviewbot.db");

    protected override Task<(IAuditStore Audit, IReviewCoordinator Coordinator)> OpenAsync()
    {
        var store = SqliteReviewStore.Open(DbPath, Clock);
        _open.Add(store);
        return Task.FromResult<(IAuditStore, IReviewCoordinator)>((store, store));
    }

    [Fact]
    public async Task Data_persists_across_reopening_the_file()
    {
        using (var store = SqliteReviewStore.Open(DbPath, Clock))
        {
            Assert.True(await store.TryRecordDeliveryAsync("github", "d-1"));
            await store.AppendAsync(AuditSamples.Decision("a1", "acme/api", 7, AuditSamples.T0));
            var claim = await store.ClaimAsync("github:acme/api#7", "d-1", "w1", Lease);
            Assert.True(await store.TryCommitAsync(claim, "head-1"));
            Assert.Null(await store.ReleaseAsync(claim, completed: true));
        }

        SqliteConnection.ClearAllPools();
        using var reopened = SqliteReviewStore.Open(DbPath, Clock);
        Assert.False(await reopened.TryRecordDeliveryAsync("github", "d-1"));
        Assert.NotNull(await reopened.GetAsync("a1"));
        Assert.Equal(ClaimOutcome.AlreadyCompleted, (await reopened.ClaimAsync("github:acme/api#7", "d-1", "w2", Lease)).Outcome);
        var state = reopened.ReadState("github:acme/api#7");
        Assert.Equal("head-1", state.HeadSha);
        Assert.Equal(1, state.AppliedSequence);
        Assert.Equal(SqliteDatabase.LatestVersion, reopened.Database.SchemaVersion());
    }

    [Fact]
    public void The_file_is_in_wal_mode_with_a_recorded_schema_version()
    {
        using var store = SqliteReviewStore.Open(DbPath, Clock);
        Assert.Equal("wal", Raw("PRAGMA journal_mode") as string);
        Assert.Equal(1L, Raw("SELECT version FROM schema_version ORDER BY version"));
    }

    [Fact]
    public void A_file_from_a_newer_release_is_refused_with_a_clear_message()
    {
        using (var store = SqliteReviewStore.Open(DbPath, Clock))
        {
            Raw("INSERT INTO schema_version (version, applied_at) VALUES (99, 'x')");
        }

        SqliteConnection.ClearAllPools();
        var ex = Assert.Throws<InvalidOperationException>(() => SqliteReviewStore.Open(DbPath, Clock));
        Assert.Contains("schema version 99", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Indexed_columns_hold_the_decision_state_and_the_json_has_no_secret()
    {
        var token = "glpat-" + new string('x', 20);
        using (var store = SqliteReviewStore.Open(DbPath, Clock))
        {
            await store.AppendAsync(AuditSamples.Decision("a1", "acme/api", 7, AuditSamples.T0));
            await store.AppendAsync(AuditSamples.Decision("e1", "acme/api", 7, AuditSamples.T0) with { Error = "PRIVATE-TOKEN " + token + " rejected; private_token=" + token });
        }

        SqliteConnection.ClearAllPools();
        Assert.Equal("pending,error", Raw("SELECT group_concat(state, ',') FROM (SELECT state FROM audit ORDER BY id)") as string);
        Assert.DoesNotContain(token, (string)Raw("SELECT group_concat(json, '') FROM audit")!, StringComparison.Ordinal);
    }

    /// <summary>Runs SQL on the file through a connection of its own, outside the store.</summary>
    private object? Raw(string sql)
    {
        using var c = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    public void Dispose()
    {
        foreach (var store in _open)
        {
            store.Dispose();
        }

        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
