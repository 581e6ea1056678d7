using System.Globalization;
using Microsoft.Data.Sqlite;
using static ReviewBot.Storage.Sqlite.SqliteDatabase;
using Microsoft.Extensions.Options;
using ReviewBot.Pipeline;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.Storage.Sqlite;

/// <summary>One row of the work queue as <c>reviewbot queue list</c> shows it.</summary>
public sealed record QueuedWork
{
    public required long Id { get; init; }
    public required string Key { get; init; }
    public required string DeliveryId { get; init; }

    /// <summary>The review request, as <see cref="ReviewMessage"/> JSON.</summary>
    public required string Message { get; init; }

    /// <summary><c>ready</c>, <c>leased</c> (a worker holds it until <see cref="LeaseUntil"/>) or <c>poison</c>.</summary>
    public required string State { get; init; }

    public required DateTimeOffset EnqueuedAt { get; init; }
    public required DateTimeOffset AvailableAt { get; init; }
    public required int Attempts { get; init; }

    /// <summary>Later deliveries for the same pull request folded into this item while it waited.</summary>
    public required int Folded { get; init; }

    public DateTimeOffset? LeaseUntil { get; init; }
    public string? LastError { get; init; }
}

/// <summary>
/// The embedded durable queue in the SQLite file. <see cref="AcceptAsync"/> records the delivery key and inserts its
/// review requests in one transaction, so an acknowledged delivery survives the process being killed (WAL with
/// <c>synchronous=NORMAL</c>: a committed transaction survives a crash of the process, not necessarily a power loss).
/// A request for a pull request that already has an item waiting (not leased) replaces that item's request: the
/// evaluation reloads the pull request anyway, so a burst costs one evaluation. Items are leased for
/// <see cref="StorageOptions.VisibilityTimeout"/>, extended by the worker's heartbeat while the evaluation runs; a
/// pull request with a leased item gets no second lease.
/// </summary>
public sealed class SqliteWorkQueue(SqliteDatabase database, TimeProvider time, IOptions<StorageOptions> options) : IWorkQueue, IDeliveryInbox, IReviewQueue
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public SqliteDatabase Database => database;

    public async Task<InboxOutcome> AcceptAsync(
        string platform, string deliveryKey, IReadOnlyList<ReviewRequest> requests, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var accepted = await database.WriteAsync((c, tx) =>
        {
            if (!SqliteReviewStore.RecordDelivery(c, tx, platform, deliveryKey, now))
            {
                return false;
            }

            foreach (var request in requests)
            {
                Insert(c, tx, request, now);
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);

        if (accepted)
        {
            Signal();
        }

        return accepted ? InboxOutcome.Accepted : InboxOutcome.Duplicate;
    }

    /// <summary>Queues a request without a delivery key (no de-duplication).</summary>
    public async ValueTask EnqueueAsync(ReviewRequest request, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await database.WriteAsync((c, tx) => Insert(c, tx, request, now), cancellationToken).ConfigureAwait(false);
        Signal();
    }

    private static long Insert(SqliteConnection c, SqliteTransaction tx, ReviewRequest request, DateTimeOffset now)
    {
        var key = WorkKey.Of(request);
        var message = ReviewMessage.Serialize(request);
        using (var fold = Command(c, tx, """
            UPDATE work_items SET message = $message, delivery_id = $delivery, folded = folded + 1
            WHERE id = (SELECT id FROM work_items WHERE work_key = $key AND state = 'ready' AND lease_owner IS NULL ORDER BY id LIMIT 1)
            """))
        {
            fold.Parameters.AddWithValue("$message", message);
            fold.Parameters.AddWithValue("$delivery", request.DeliveryId);
            fold.Parameters.AddWithValue("$key", key);
            if (fold.ExecuteNonQuery() == 1)
            {
                return 0;
            }
        }

        using var insert = Command(c, tx, """
            INSERT INTO work_items (work_key, delivery_id, message, enqueued_at, available_at)
            VALUES ($key, $delivery, $message, $now, $ticks)
            """);
        insert.Parameters.AddWithValue("$key", key);
        insert.Parameters.AddWithValue("$delivery", request.DeliveryId);
        insert.Parameters.AddWithValue("$message", message);
        insert.Parameters.AddWithValue("$now", Iso(now));
        insert.Parameters.AddWithValue("$ticks", now.UtcTicks);
        return insert.ExecuteNonQuery();
    }

    public Task<IReadOnlyList<WorkItem>> LeaseAsync(int max, IReadOnlySet<string> busyKeys, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcTicks;
        var until = now + options.Value.VisibilityTimeout.Ticks;
        return database.WriteAsync<IReadOnlyList<WorkItem>>((c, tx) =>
        {
            var candidates = new List<(long Id, string Key, string Message, int Attempts)>();
            // Oldest first by walking the row ids and stopping at the limit: the unary + keeps SQLite off the
            // (state, available_at) index, whose range it would read whole and sort (tens of ms per lease, inside the
            // write transaction every acknowledgement waits for, with a backlog of 20,000 items; 0.04 ms this way).
            // The walk passes over only the items not due (leased, delayed retries, poison) before the first due ones.
            using (var select = Command(c, tx, """
                SELECT id, work_key, message, attempts FROM work_items w
                WHERE +state = 'ready' AND +available_at <= $now AND (lease_until IS NULL OR lease_until <= $now)
                  AND NOT EXISTS (SELECT 1 FROM work_items o
                                  WHERE o.work_key = w.work_key AND o.id <> w.id AND o.state = 'ready' AND o.lease_until > $now)
                ORDER BY id LIMIT $scan
                """))
            {
                select.Parameters.AddWithValue("$now", now);
                select.Parameters.AddWithValue("$scan", (max + busyKeys.Count) * 4);
                using var r = select.ExecuteReader();
                while (r.Read())
                {
                    candidates.Add((r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt32(3)));
                }
            }

            var keys = new HashSet<string>(busyKeys, StringComparer.Ordinal);
            var leased = new List<WorkItem>();
            foreach (var (id, key, message, attempts) in candidates)
            {
                if (leased.Count == max || !keys.Add(key))
                {
                    continue;
                }

                var receipt = Guid.NewGuid().ToString("N");
                using var update = Command(c, tx, "UPDATE work_items SET lease_owner = $receipt, lease_until = $until, attempts = attempts + 1 WHERE id = $id");
                update.Parameters.AddWithValue("$receipt", receipt);
                update.Parameters.AddWithValue("$until", until);
                update.Parameters.AddWithValue("$id", id);
                update.ExecuteNonQuery();
                leased.Add(Item(id, receipt, attempts + 1, message));
            }

            return leased;
        }, cancellationToken);
    }

    private static WorkItem Item(long id, string receipt, int attempt, string message)
    {
        try
        {
            return new WorkItem { Id = id.ToString(CultureInfo.InvariantCulture), Receipt = receipt, Attempt = attempt, Message = message, Request = ReviewMessage.Deserialize(message) };
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidDataException)
        {
            return new WorkItem { Id = id.ToString(CultureInfo.InvariantCulture), Receipt = receipt, Attempt = attempt, Message = message, ReadError = ex.Message };
        }
    }

    public async Task<WorkItem?> ExtendLeaseAsync(WorkItem item, CancellationToken cancellationToken = default)
    {
        var until = (time.GetUtcNow() + options.Value.VisibilityTimeout).UtcTicks;
        var extended = await Leased(item, "UPDATE work_items SET lease_until = $until WHERE id = $id AND lease_owner = $receipt AND state = 'ready'",
            cmd => cmd.Parameters.AddWithValue("$until", until), cancellationToken).ConfigureAwait(false);
        return extended == 1 ? item : null;
    }

    public Task CompleteAsync(WorkItem item, CancellationToken cancellationToken = default)
        => Leased(item, "DELETE FROM work_items WHERE id = $id AND lease_owner = $receipt", null, cancellationToken);

    public Task RescheduleAsync(WorkItem item, TimeSpan delay, string? error, bool countsAsAttempt, CancellationToken cancellationToken = default)
        => Leased(item, $"""
            UPDATE work_items SET lease_owner = NULL, lease_until = NULL, available_at = $at,
                attempts = attempts - {(countsAsAttempt ? 0 : 1)}, last_error = COALESCE($error, last_error)
            WHERE id = $id AND lease_owner = $receipt
            """, cmd =>
            {
                cmd.Parameters.AddWithValue("$at", (time.GetUtcNow() + delay).UtcTicks);
                cmd.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
            }, cancellationToken);

    public Task PoisonAsync(WorkItem item, string error, CancellationToken cancellationToken = default)
        => Leased(item, "UPDATE work_items SET state = 'poison', lease_owner = NULL, lease_until = NULL, last_error = $error WHERE id = $id AND lease_owner = $receipt",
            cmd => cmd.Parameters.AddWithValue("$error", error), cancellationToken);

    /// <summary>Runs <paramref name="sql"/> on the item while <paramref name="item"/>'s receipt holds it; the number of rows changed.</summary>
    private Task<int> Leased(WorkItem item, string sql, Action<SqliteCommand>? bind, CancellationToken cancellationToken)
        => database.WriteAsync((c, tx) =>
        {
            using var cmd = Command(c, tx, sql);
            cmd.Parameters.AddWithValue("$id", long.Parse(item.Id, CultureInfo.InvariantCulture));
            cmd.Parameters.AddWithValue("$receipt", item.Receipt);
            bind?.Invoke(cmd);
            return cmd.ExecuteNonQuery();
        }, cancellationToken);

    public async Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken)
        => await _signal.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);

    private void Signal()
    {
        try
        {
            if (_signal.CurrentCount == 0)
            {
                _signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    /// <summary>Every item, oldest first; only poison items with <paramref name="poisonOnly"/>.</summary>
    public IReadOnlyList<QueuedWork> List(bool poisonOnly = false)
    {
        var now = time.GetUtcNow().UtcTicks;
        using var c = database.OpenReader();
        using var cmd = Command(c, null, """
            SELECT id, work_key, delivery_id, state, enqueued_at, available_at, attempts, folded, lease_until, last_error, message
            FROM work_items
            """ + (poisonOnly ? " WHERE state = 'poison'" : "") + " ORDER BY id");
        var result = new List<QueuedWork>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            long? leaseUntil = r.IsDBNull(8) ? null : r.GetInt64(8);
            var state = r.GetString(3);
            result.Add(new QueuedWork
            {
                Id = r.GetInt64(0),
                Key = r.GetString(1),
                DeliveryId = r.GetString(2),
                State = state == "ready" && leaseUntil > now ? "leased" : state,
                EnqueuedAt = DateTimeOffset.Parse(r.GetString(4), CultureInfo.InvariantCulture),
                AvailableAt = new DateTimeOffset(r.GetInt64(5), TimeSpan.Zero),
                Attempts = r.GetInt32(6),
                Folded = r.GetInt32(7),
                LeaseUntil = leaseUntil is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null,
                LastError = r.IsDBNull(9) ? null : r.GetString(9),
                Message = r.GetString(10),
            });
        }

        return result;
    }

    /// <summary>
    /// Makes items due now with a fresh attempt count (poison items back to ready; a leased item's lease ended — only
    /// for a worker known to be gone). <paramref name="ids"/> empty: every poison item. Returns how many changed.
    /// </summary>
    public Task<int> RetryAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
        => Manage(ids, "UPDATE work_items SET state = 'ready', attempts = 0, lease_owner = NULL, lease_until = NULL, available_at = $now", cancellationToken);

    /// <summary>Removes items for good. <paramref name="ids"/> empty: every poison item. Returns how many were removed.</summary>
    public Task<int> DropAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
        => Manage(ids, "DELETE FROM work_items", cancellationToken);

    private async Task<int> Manage(IReadOnlyCollection<long> ids, string sql, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcTicks;
        var changed = await database.WriteAsync((c, tx) =>
        {
            using var cmd = Command(c, tx, sql + (ids.Count == 0
                ? " WHERE state = 'poison'"
                : $" WHERE id IN ({string.Join(", ", ids.Select((_, i) => "$id" + i))})"));
            cmd.Parameters.AddWithValue("$now", now);
            var i = 0;
            foreach (var id in ids)
            {
                cmd.Parameters.AddWithValue("$id" + i++, id);
            }

            return cmd.ExecuteNonQuery();
        }, cancellationToken).ConfigureAwait(false);
        Signal();
        return changed;
    }
}
