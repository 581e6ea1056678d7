using System.Globalization;
using Microsoft.Data.Sqlite;
using ReviewBot.Pipeline.Ports;
using static ReviewBot.Storage.Sqlite.SqliteDatabase;

namespace ReviewBot.Storage.Sqlite;

/// <summary>
/// The embedded store: delivery de-duplication, per-pull-request ordering and coalescing, and the audit log, in
/// one SQLite file. Safe for concurrent use from many threads; several processes may share the file.
/// </summary>
public sealed class SqliteReviewStore : ReviewCoordinatorBase, IAuditStore, IDisposable
{
    private readonly SqliteDatabase _db;

    public SqliteReviewStore(SqliteDatabase database, TimeProvider time, StorageOptions options)
        : base(time, options)
    {
        _db = database;
    }

    public static SqliteReviewStore Open(string path, TimeProvider? time = null, StorageOptions? options = null)
        => new(SqliteDatabase.Open(path), time ?? TimeProvider.System, options ?? new StorageOptions());

    public SqliteDatabase Database => _db;

    public Task<bool> TryRecordDeliveryAsync(string platform, string deliveryId, CancellationToken cancellationToken = default)
    {
        var now = Time.GetUtcNow();
        return _db.WriteAsync((c, tx) => RecordDelivery(c, tx, platform, deliveryId, now), cancellationToken);
    }

    /// <summary>Records a delivery key inside the caller's transaction; false when it was recorded before.</summary>
    internal static bool RecordDelivery(SqliteConnection c, SqliteTransaction tx, string platform, string deliveryId, DateTimeOffset now)
    {
        using var cmd = Command(c, tx, "INSERT OR IGNORE INTO deliveries (platform, delivery_id, received_at) VALUES ($p, $d, $t)");
        cmd.Parameters.AddWithValue("$p", platform);
        cmd.Parameters.AddWithValue("$d", deliveryId);
        cmd.Parameters.AddWithValue("$t", Iso(now));
        return cmd.ExecuteNonQuery() == 1;
    }

    public Task ForgetDeliveryAsync(string platform, string deliveryId, CancellationToken cancellationToken = default)
        => _db.WriteAsync((c, tx) =>
        {
            using var cmd = Command(c, tx, "DELETE FROM deliveries WHERE platform = $p AND delivery_id = $d");
            cmd.Parameters.AddWithValue("$p", platform);
            cmd.Parameters.AddWithValue("$d", deliveryId);
            return cmd.ExecuteNonQuery();
        }, cancellationToken);

    public Task AppendAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        var clean = AuditJson.Sanitize(record);
        var json = AuditJson.Serialize(clean);
        var state = AuditJson.StateOf(clean);
        return _db.WriteAsync((c, tx) =>
        {
            using var cmd = Command(c, tx, """
                INSERT OR IGNORE INTO audit (id, time, time_ticks, platform, repository, number, head_sha, delivery_id, event, state, rules, json)
                VALUES ($id, $time, $ticks, $platform, $repo, $number, $head, $delivery, $event, $state, $rules, $json)
                """);
            cmd.Parameters.AddWithValue("$id", clean.Id);
            cmd.Parameters.AddWithValue("$time", Iso(clean.Time));
            cmd.Parameters.AddWithValue("$ticks", clean.Time.UtcTicks);
            cmd.Parameters.AddWithValue("$platform", clean.Platform);
            cmd.Parameters.AddWithValue("$repo", clean.Repository);
            cmd.Parameters.AddWithValue("$number", clean.Number);
            cmd.Parameters.AddWithValue("$head", clean.HeadSha);
            cmd.Parameters.AddWithValue("$delivery", (object?)clean.DeliveryId ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$event", (object?)clean.Event ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$state", state);
            cmd.Parameters.AddWithValue("$rules", (object?)clean.RulesRevision ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$json", json);
            return cmd.ExecuteNonQuery();
        }, cancellationToken);
    }

    public Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        using var c = _db.OpenReader();
        using var cmd = c.CreateCommand();
        var where = new List<string>();
        if (query.Repository is not null)
        {
            where.Add("repository = $repo COLLATE NOCASE");
            cmd.Parameters.AddWithValue("$repo", query.Repository);
        }

        if (query.Number is { } number)
        {
            where.Add("number = $number");
            cmd.Parameters.AddWithValue("$number", number);
        }

        if (query.Since is { } since)
        {
            where.Add("time_ticks >= $since");
            cmd.Parameters.AddWithValue("$since", since.UtcTicks);
        }

        cmd.CommandText = "SELECT json FROM audit"
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
            + " ORDER BY time_ticks DESC, id DESC LIMIT $limit";
        cmd.Parameters.AddWithValue("$limit", query.Limit > 0 ? query.Limit : -1);

        var result = new List<AuditRecord>();
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            result.Add(AuditJson.Deserialize(reader.GetString(0)));
        }

        return Task.FromResult<IReadOnlyList<AuditRecord>>(result);
    }

    public Task<AuditRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        using var c = _db.OpenReader();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT json FROM audit WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", id);
        return Task.FromResult(cmd.ExecuteScalar() is string json ? AuditJson.Deserialize(json) : null);
    }

    /// <summary>The stored coordination row of a pull request (for diagnostics and tests).</summary>
    public PullRequestState ReadState(string pullRequestKey)
    {
        using var c = _db.OpenReader();
        return ReadRow(c, null, pullRequestKey).State;
    }

    protected override Task<T> MutateAsync<T>(string pullRequestKey, Func<PullRequestState, (PullRequestState? Next, T Result)> transition, CancellationToken cancellationToken)
        => _db.WriteAsync((c, tx) => Mutate(c, tx, pullRequestKey, transition), cancellationToken);

    /// <summary>The delivery's completion and the lease's release in one transaction.</summary>
    protected override Task<T> CompleteAndMutateAsync<T>(
        string deliveryId, string pullRequestKey, Func<PullRequestState, (PullRequestState? Next, T Result)> transition, CancellationToken cancellationToken)
        => _db.WriteAsync((c, tx) =>
        {
            MarkCompleted(c, tx, deliveryId);
            return Mutate(c, tx, pullRequestKey, transition);
        }, cancellationToken);

    private T Mutate<T>(SqliteConnection c, SqliteTransaction tx, string pullRequestKey, Func<PullRequestState, (PullRequestState? Next, T Result)> transition)
    {
        // One writer at a time inside the process, and the write transaction is IMMEDIATE; the version check
        // still guards against a writer in another process that shares the file.
        var (state, version) = ReadRow(c, tx, pullRequestKey);
        var (next, result) = transition(state);
        if (next is null)
        {
            return result;
        }

        using var cmd = Command(c, tx, version == 0
            ? """
              INSERT INTO pull_requests (pr_key, version, sequence, applied_sequence, head_sha, lease_owner, lease_delivery, lease_until, dirty, queued_head, queued_until, updated_at)
              VALUES ($key, 1, $seq, $applied, $head, $owner, $ldelivery, $luntil, $dirty, $qhead, $quntil, $now)
              """
            : """
              UPDATE pull_requests SET version = version + 1, sequence = $seq, applied_sequence = $applied, head_sha = $head,
                  lease_owner = $owner, lease_delivery = $ldelivery, lease_until = $luntil, dirty = $dirty,
                  queued_head = $qhead, queued_until = $quntil, updated_at = $now
              WHERE pr_key = $key AND version = $version
              """);
        cmd.Parameters.AddWithValue("$key", pullRequestKey);
        cmd.Parameters.AddWithValue("$version", version);
        cmd.Parameters.AddWithValue("$seq", next.Sequence);
        cmd.Parameters.AddWithValue("$applied", next.AppliedSequence);
        cmd.Parameters.AddWithValue("$head", (object?)next.HeadSha ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$owner", (object?)next.LeaseOwner ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$ldelivery", (object?)next.LeaseDelivery ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$luntil", (object?)next.LeaseUntil?.UtcTicks ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$dirty", next.Dirty ? 1 : 0);
        cmd.Parameters.AddWithValue("$qhead", (object?)next.QueuedHead ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$quntil", (object?)next.QueuedUntil?.UtcTicks ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$now", Iso(Time.GetUtcNow()));
        if (cmd.ExecuteNonQuery() != 1)
        {
            throw new InvalidOperationException($"pull request state {pullRequestKey} changed during an exclusive write transaction");
        }

        return result;
    }

    protected override Task<bool> IsCompletedAsync(string deliveryId, CancellationToken cancellationToken)
    {
        using var c = _db.OpenReader();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT 1 FROM completed_deliveries WHERE delivery_id = $d";
        cmd.Parameters.AddWithValue("$d", deliveryId);
        return Task.FromResult(cmd.ExecuteScalar() is not null);
    }

    protected override Task MarkCompletedAsync(string deliveryId, CancellationToken cancellationToken)
        => _db.WriteAsync((c, tx) => MarkCompleted(c, tx, deliveryId), cancellationToken);

    private int MarkCompleted(SqliteConnection c, SqliteTransaction tx, string deliveryId)
    {
        using var cmd = Command(c, tx, "INSERT OR IGNORE INTO completed_deliveries (delivery_id, completed_at) VALUES ($d, $t)");
        cmd.Parameters.AddWithValue("$d", deliveryId);
        cmd.Parameters.AddWithValue("$t", Iso(Time.GetUtcNow()));
        return cmd.ExecuteNonQuery();
    }

    private static (PullRequestState State, long Version) ReadRow(SqliteConnection c, SqliteTransaction? tx, string key)
    {
        using var cmd = Command(c, tx, """
            SELECT version, sequence, applied_sequence, head_sha, lease_owner, lease_delivery, lease_until, dirty, queued_head, queued_until
            FROM pull_requests WHERE pr_key = $key
            """);
        cmd.Parameters.AddWithValue("$key", key);
        using var r = cmd.ExecuteReader();
        if (!r.Read())
        {
            return (PullRequestState.Empty, 0);
        }

        return (new PullRequestState
        {
            Sequence = r.GetInt64(1),
            AppliedSequence = r.GetInt64(2),
            HeadSha = r.IsDBNull(3) ? null : r.GetString(3),
            LeaseOwner = r.IsDBNull(4) ? null : r.GetString(4),
            LeaseDelivery = r.IsDBNull(5) ? null : r.GetString(5),
            LeaseUntil = r.IsDBNull(6) ? null : new DateTimeOffset(r.GetInt64(6), TimeSpan.Zero),
            Dirty = r.GetInt64(7) != 0,
            QueuedHead = r.IsDBNull(8) ? null : r.GetString(8),
            QueuedUntil = r.IsDBNull(9) ? null : new DateTimeOffset(r.GetInt64(9), TimeSpan.Zero),
        }, r.GetInt64(0));
    }

    public void Dispose() => _db.Dispose();
}
