using System.Globalization;
using System.Text;
using Azure;
using Azure.Data.Tables;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.Storage.Azure;

/// <summary>
/// The cloud store on Azure Table storage. De-duplication: inserting a delivery row, a 409 conflict means seen.
/// Ordering and coalescing: one state entity per pull request, replaced only with the ETag it was read with
/// (412 → read again). Audit: one partition per pull request, newest first by row key, with an id index.
/// </summary>
public sealed class AzureTableReviewStore : ReviewCoordinatorBase, IAuditStore
{
    private const int MaxCasAttempts = 50;
    private const int JsonChunk = 30_000; // a Table string property holds at most 64 KiB (32K UTF-16 chars)
    private const string CompletedPartition = "completed";
    private const string StateRow = "state";

    private readonly TableClient _deliveries;
    private readonly TableClient _pullRequests;
    private readonly TableClient _audit;
    private readonly TableClient _auditIds;

    public AzureTableReviewStore(AzureStorageClients clients, TimeProvider time, StorageOptions options)
        : base(time, options)
    {
        _deliveries = clients.Table("Deliveries");
        _pullRequests = clients.Table("PullRequests");
        _audit = clients.Table("Audit");
        _auditIds = clients.Table("AuditIds");
    }

    /// <summary>Creates the tables when missing (idempotent; called once at start-up).</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        foreach (var table in new[] { _deliveries, _pullRequests, _audit, _auditIds })
        {
            await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<bool> TryRecordDeliveryAsync(string platform, string deliveryId, CancellationToken cancellationToken = default)
        => TryInsertAsync(_deliveries, new TableEntity(Key(platform), Key(deliveryId)) { ["ReceivedAt"] = Time.GetUtcNow() }, cancellationToken);

    public async Task ForgetDeliveryAsync(string platform, string deliveryId, CancellationToken cancellationToken = default)
    {
        try
        {
            await _deliveries.DeleteEntityAsync(Key(platform), Key(deliveryId), ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // never recorded: nothing to forget
        }
    }

    public async Task AppendAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        var clean = AuditJson.Sanitize(record);
        var partition = Key(PullRequestKey(clean));
        var row = (DateTimeOffset.MaxValue.UtcTicks - clean.Time.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "_" + Key(clean.Id);
        var entity = new TableEntity(partition, row)
        {
            ["Id"] = clean.Id,
            ["Time"] = clean.Time,
            ["Platform"] = clean.Platform,
            ["Repository"] = clean.Repository,
            ["Number"] = clean.Number,
            ["HeadSha"] = clean.HeadSha,
            ["DeliveryId"] = clean.DeliveryId,
            ["Event"] = clean.Event,
            ["State"] = AuditJson.StateOf(clean),
            ["RulesRevision"] = clean.RulesRevision,
        };
        var json = AuditJson.Serialize(clean);
        var chunks = 0;
        for (var i = 0; i < json.Length; i += JsonChunk, chunks++)
        {
            entity["Json" + chunks.ToString(CultureInfo.InvariantCulture)] = json.Substring(i, Math.Min(JsonChunk, json.Length - i));
        }

        entity["JsonChunks"] = chunks;

        // The id index first: a retried append of the same record finds it and stops (one record per id).
        var index = new TableEntity(Key(clean.Id), "") { ["AuditPartition"] = partition, ["AuditRow"] = row };
        if (await TryInsertAsync(_auditIds, index, cancellationToken).ConfigureAwait(false))
        {
            await _audit.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        var filters = new List<string>();
        if (query.Repository is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"Repository eq {query.Repository}"));
        }

        if (query.Number is { } number)
        {
            filters.Add(TableClient.CreateQueryFilter($"Number eq {number}"));
        }

        if (query.Since is { } since)
        {
            filters.Add(TableClient.CreateQueryFilter($"Time ge {since}"));
        }

        var rows = new List<(DateTimeOffset Time, string Id, TableEntity Entity)>();
        await foreach (var e in _audit.QueryAsync<TableEntity>(filters.Count == 0 ? null : string.Join(" and ", filters), cancellationToken: cancellationToken)
                           .ConfigureAwait(false))
        {
            rows.Add((e.GetDateTimeOffset("Time") ?? DateTimeOffset.MinValue, e.GetString("Id"), e));
        }

        var ordered = rows.OrderByDescending(r => r.Time).ThenByDescending(r => r.Id, StringComparer.Ordinal).Select(r => Read(r.Entity));
        return (query.Limit > 0 ? ordered.Take(query.Limit) : ordered).ToList();
    }

    public async Task<AuditRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var index = await _auditIds.GetEntityIfExistsAsync<TableEntity>(Key(id), "", cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!index.HasValue || index.Value is null)
        {
            return null;
        }

        var row = await _audit.GetEntityIfExistsAsync<TableEntity>(
            index.Value.GetString("AuditPartition"), index.Value.GetString("AuditRow"), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is not null ? Read(row.Value) : null;
    }

    protected override async Task<T> MutateAsync<T>(string pullRequestKey, Func<PullRequestState, (PullRequestState? Next, T Result)> transition, CancellationToken cancellationToken)
    {
        var partition = Key(pullRequestKey);
        for (var attempt = 0; attempt < MaxCasAttempts; attempt++)
        {
            var current = await _pullRequests.GetEntityIfExistsAsync<TableEntity>(partition, StateRow, cancellationToken: cancellationToken).ConfigureAwait(false);
            var existing = current.HasValue ? current.Value : null;
            var (next, result) = transition(existing is null ? PullRequestState.Empty : ToState(existing));
            if (next is null)
            {
                return result;
            }

            var entity = ToEntity(partition, next);
            try
            {
                if (existing is null)
                {
                    await _pullRequests.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _pullRequests.UpdateEntityAsync(entity, existing.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }

                return result;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another worker changed the row since we read it: read again and re-decide.
                await Task.Delay(Random.Shared.Next(1, 5 + (attempt * 5)), cancellationToken).ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException($"pull request state {pullRequestKey} kept changing: gave up after {MaxCasAttempts} attempts");
    }

    protected override async Task<bool> IsCompletedAsync(string deliveryId, CancellationToken cancellationToken)
    {
        var row = await _deliveries.GetEntityIfExistsAsync<TableEntity>(CompletedPartition, Key(deliveryId), ["PartitionKey"], cancellationToken)
            .ConfigureAwait(false);
        return row.HasValue;
    }

    protected override Task MarkCompletedAsync(string deliveryId, CancellationToken cancellationToken)
        => TryInsertAsync(_deliveries, new TableEntity(CompletedPartition, Key(deliveryId)) { ["CompletedAt"] = Time.GetUtcNow() }, cancellationToken);

    /// <summary>Escapes the characters a Table key may not hold (/ \ # ? control) reversibly with %XX.</summary>
    public static string Key(string value)
    {
        var sb = new StringBuilder(value.Length + 8);
        foreach (var ch in value)
        {
            if (ch is '/' or '\\' or '#' or '?' or '%' || char.IsControl(ch))
            {
                sb.Append('%').Append(((int)ch).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(ch);
            }
        }

        return sb.ToString();
    }

    private static string PullRequestKey(AuditRecord r) => $"{r.Platform}:{r.Repository}#{r.Number}";

    private static async Task<bool> TryInsertAsync(TableClient table, TableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    private static AuditRecord Read(TableEntity e)
    {
        var chunks = e.GetInt32("JsonChunks") ?? 0;
        var json = string.Concat(Enumerable.Range(0, chunks).Select(i => e.GetString("Json" + i.ToString(CultureInfo.InvariantCulture))));
        return AuditJson.Deserialize(json);
    }

    private static PullRequestState ToState(TableEntity e) => new()
    {
        Sequence = e.GetInt64("Sequence") ?? 0,
        AppliedSequence = e.GetInt64("AppliedSequence") ?? 0,
        HeadSha = e.GetString("HeadSha"),
        LeaseOwner = e.GetString("LeaseOwner"),
        LeaseDelivery = e.GetString("LeaseDelivery"),
        LeaseUntil = e.GetDateTimeOffset("LeaseUntil"),
        Dirty = e.GetBoolean("Dirty") ?? false,
        QueuedHead = e.GetString("QueuedHead"),
        QueuedUntil = e.GetDateTimeOffset("QueuedUntil"),
    };

    private static TableEntity ToEntity(string partition, PullRequestState s) => new(partition, StateRow)
    {
        ["Sequence"] = s.Sequence,
        ["AppliedSequence"] = s.AppliedSequence,
        ["HeadSha"] = s.HeadSha,
        ["LeaseOwner"] = s.LeaseOwner,
        ["LeaseDelivery"] = s.LeaseDelivery,
        ["LeaseUntil"] = s.LeaseUntil,
        ["Dirty"] = s.Dirty,
        ["QueuedHead"] = s.QueuedHead,
        ["QueuedUntil"] = s.QueuedUntil,
    };
}
