using Microsoft.Data.Sqlite;
using ReviewBot.Pipeline.Replay;
using static ReviewBot.Storage.Sqlite.SqliteDatabase;

namespace ReviewBot.Storage.Sqlite;

/// <summary>
/// Recorded evaluations and the content-addressed bytes they read, in the SQLite file of the audit log but in tables
/// of their own (never part of an audit export). Each evaluation references its contents by SHA-256; the bytes are
/// stored once however many evaluations read them. References older than <see cref="StorageOptions.ContentRetention"/>
/// are dropped, and contents no reference holds any more are deleted with them (at most once per
/// <see cref="PruneInterval"/>, on a later recording).
/// </summary>
public sealed class SqliteEvaluationStore(SqliteDatabase database, TimeProvider time, StorageOptions options) : IEvaluationStore
{
    /// <summary>How often a recording also prunes (pruning scans the contents table).</summary>
    public static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    private long _lastPruneTicks;

    public async Task RecordAsync(RecordedEvaluation evaluation, IReadOnlyDictionary<string, ReadOnlyMemory<byte>> contents, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var json = RecordedEvaluationJson.Serialize(evaluation);
        var hashes = evaluation.ContentHashes.ToList();
        var absent = hashes.Where(h => !contents.ContainsKey(h)).ToList();
        if (absent.Count > 0)
        {
            throw new ArgumentException($"the recorded evaluation references {absent.Count} content hash(es) whose bytes were not given", nameof(contents));
        }

        await database.WriteAsync((c, tx) =>
        {
            using (var cmd = Command(c, tx, "INSERT OR IGNORE INTO evaluations (audit_id, recorded_ticks, json) VALUES ($id, $ticks, $json)"))
            {
                cmd.Parameters.AddWithValue("$id", evaluation.AuditId);
                cmd.Parameters.AddWithValue("$ticks", now.UtcTicks);
                cmd.Parameters.AddWithValue("$json", json);
                if (cmd.ExecuteNonQuery() == 0)
                {
                    return 0; // recorded before (a redelivered pass): the first recording stands
                }
            }

            // Bytes are written once: a content already stored (most of a pull request's files between two pushes) is
            // only referenced, so the shared write transaction acknowledgements wait on carries new bytes alone.
            using var stored = Command(c, tx, "SELECT 1 FROM contents WHERE sha256 = $sha");
            var storedSha = stored.Parameters.Add("$sha", SqliteType.Text);
            using var content = Command(c, tx, "INSERT INTO contents (sha256, bytes) VALUES ($sha, $bytes)");
            var sha = content.Parameters.Add("$sha", SqliteType.Text);
            var bytes = content.Parameters.Add("$bytes", SqliteType.Blob);
            using var reference = Command(c, tx, "INSERT OR IGNORE INTO evaluation_contents (audit_id, sha256, recorded_ticks) VALUES ($id, $sha, $ticks)");
            reference.Parameters.AddWithValue("$id", evaluation.AuditId);
            var referenced = reference.Parameters.Add("$sha", SqliteType.Text);
            reference.Parameters.AddWithValue("$ticks", now.UtcTicks);
            foreach (var hash in hashes)
            {
                storedSha.Value = hash;
                if (stored.ExecuteScalar() is null)
                {
                    sha.Value = hash;
                    bytes.Value = contents[hash].ToArray();
                    content.ExecuteNonQuery();
                }

                referenced.Value = hash;
                reference.ExecuteNonQuery();
            }

            return hashes.Count;
        }, cancellationToken).ConfigureAwait(false);

        var last = Interlocked.Read(ref _lastPruneTicks);
        if (now.UtcTicks - last >= PruneInterval.Ticks && Interlocked.CompareExchange(ref _lastPruneTicks, now.UtcTicks, last) == last)
        {
            await PruneAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Drops the content references recorded before the retention and deletes the contents no reference holds;
    /// returns how many contents were deleted.
    /// </summary>
    /// <remarks>
    /// In bounded writes of <see cref="PruneBatch"/> rows each, so the acknowledgements sharing the writer wait for one
    /// batch at most, never for a scan of the whole store.
    /// </remarks>
    public async Task<int> PruneAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = (time.GetUtcNow() - options.ContentRetention).UtcTicks;
        int dropped;
        do
        {
            dropped = await database.WriteAsync((c, tx) =>
            {
                using var references = Command(c, tx, "DELETE FROM evaluation_contents WHERE (audit_id, sha256) IN (SELECT audit_id, sha256 FROM evaluation_contents WHERE recorded_ticks < $cutoff LIMIT $n)");
                references.Parameters.AddWithValue("$cutoff", cutoff);
                references.Parameters.AddWithValue("$n", PruneBatch);
                return references.ExecuteNonQuery();
            }, cancellationToken).ConfigureAwait(false);
        }
        while (dropped == PruneBatch);

        var deleted = 0;
        do
        {
            dropped = await database.WriteAsync((c, tx) =>
            {
                using var orphans = Command(c, tx, "DELETE FROM contents WHERE sha256 IN (SELECT c.sha256 FROM contents c WHERE NOT EXISTS (SELECT 1 FROM evaluation_contents r WHERE r.sha256 = c.sha256) LIMIT $n)");
                orphans.Parameters.AddWithValue("$n", PruneBatch);
                return orphans.ExecuteNonQuery();
            }, cancellationToken).ConfigureAwait(false);
            deleted += dropped;
        }
        while (dropped == PruneBatch);

        return deleted;
    }

    private const int PruneBatch = 500;

    public Task<RecordedEvaluation?> GetAsync(string auditId, CancellationToken cancellationToken = default)
    {
        using var c = database.OpenReader();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT json FROM evaluations WHERE audit_id = $id";
        cmd.Parameters.AddWithValue("$id", auditId);
        return Task.FromResult(cmd.ExecuteScalar() is string json ? RecordedEvaluationJson.Deserialize(json) : null);
    }

    public Task<IReadOnlyDictionary<string, byte[]>> GetContentsAsync(IEnumerable<string> hashes, CancellationToken cancellationToken = default)
    {
        using var c = database.OpenReader();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT bytes FROM contents WHERE sha256 = $sha";
        var sha = cmd.Parameters.Add("$sha", SqliteType.Text);
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var hash in hashes.Distinct(StringComparer.Ordinal))
        {
            sha.Value = hash;
            if (cmd.ExecuteScalar() is byte[] bytes)
            {
                result[hash] = bytes;
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, byte[]>>(result);
    }
}
