using System.Globalization;
using Azure;
using Azure.Data.Tables;
using ReviewBot.Core.Snapshot;
using ReviewBot.Pipeline.Ports;
using static ReviewBot.Storage.Azure.AzureTableReviewStore;

namespace ReviewBot.Storage.Azure;

/// <summary>
/// Escalation clocks on Azure Table storage, shared by every instance of the function app.
/// <para>
/// Layout. <c>Escalations</c> holds one entity per clock: partition = the pull request's key, row = the rule (both
/// escaped with <see cref="AzureTableReviewStore.Key"/>), so <see cref="WatchAsync"/> and <see cref="FiredAsync"/> read one
/// partition. Tables have no secondary indexes, and a filtered query on a "due" property would scan every clock of every
/// pull request on each sweep (every minute, forever); so <c>EscalationsDue</c> is an index keyed by due time: one
/// partition, row = the due ticks (fixed width, so ordinal order is time order) then the clock's keys. A sweep reads only
/// the rows up to now (a range query on the primary key), and nothing else.
/// </para>
/// <para>
/// Claims. The clock entity is the truth, the index only says where to look. A sweeper reads the clock and replaces it,
/// marked fired, with the ETag it read (<see cref="TableUpdateMode.Replace"/>, <c>ifMatch</c>): of several instances
/// racing, exactly one succeeds and the others get 412 and skip it. The index row goes once the clock has fired, or when
/// it is stale (its clock was removed, fired or restarted with another due time). A watch writes the clock before its
/// index row and writes the row on every evaluation (idempotent), so a crash between the two heals on the next evaluation.
/// </para>
/// </summary>
public sealed class AzureTableEscalationStore(AzureStorageClients clients) : IEscalationStore
{
    private const int MaxCasAttempts = 50;
    private const string DuePartition = "due";

    private readonly TableClient _clocks = clients.Table("Escalations");
    private readonly TableClient _due = clients.Table("EscalationsDue");

    /// <summary>Creates the tables when missing (idempotent; called once at start-up).</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        await _clocks.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await _due.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task WatchAsync(ReviewRequest pullRequest, string headSha, IReadOnlyList<EscalationClock> clocks, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var partition = Key(pullRequest.PullRequestKey);
        var running = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        await foreach (var e in _clocks.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            running[e.RowKey] = e;
        }

        foreach (var gone in running.Values.Where(e => !clocks.Any(c => Key(c.Rule) == e.RowKey)))
        {
            await DeleteAsync(_clocks, gone.PartitionKey, gone.RowKey, cancellationToken).ConfigureAwait(false);
            await DeleteAsync(_due, DuePartition, DueRow(gone), cancellationToken).ConfigureAwait(false);
        }

        foreach (var clock in clocks)
        {
            running.TryGetValue(Key(clock.Rule), out var existing);
            await KeepAsync(pullRequest, partition, headSha, clock, existing, now, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One clock: same rule and head keeps its start and whether it fired; otherwise it starts at <paramref name="now"/>. Re-read on a lost race.</summary>
    private async Task KeepAsync(ReviewRequest pullRequest, string partition, string headSha, EscalationClock clock, TableEntity? existing, DateTimeOffset now, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxCasAttempts; attempt++)
        {
            var same = existing is not null && existing.GetString("HeadSha") == headSha;
            var startedTicks = same ? existing!.GetInt64("StartedTicks")!.Value : now.UtcTicks;
            var firedTicks = same ? existing!.GetInt64("FiredTicks") : null;
            var entity = new TableEntity(partition, Key(clock.Rule))
            {
                ["Platform"] = pullRequest.Platform.Id,
                ["Repository"] = pullRequest.Repository,
                ["Number"] = pullRequest.Number,
                ["InstallationId"] = pullRequest.InstallationId,
                ["ProjectId"] = pullRequest.ProjectId,
                ["Rule"] = clock.Rule,
                ["HeadSha"] = headSha,
                ["Group"] = clock.Group,
                ["AfterTicks"] = clock.After.Ticks,
                ["StartedTicks"] = startedTicks,
                ["DueTicks"] = startedTicks + clock.After.Ticks,
                ["FiredTicks"] = firedTicks,
            };
            try
            {
                if (existing is null)
                {
                    await _clocks.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _clocks.UpdateEntityAsync(entity, existing.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                    if (existing.GetInt64("DueTicks") != entity.GetInt64("DueTicks"))
                    {
                        await DeleteAsync(_due, DuePartition, DueRow(existing), cancellationToken).ConfigureAwait(false);
                    }
                }

                if (firedTicks is null)
                {
                    await _due.UpsertEntityAsync(
                        new TableEntity(DuePartition, DueRow(entity)) { ["ClockPartition"] = partition, ["ClockRow"] = entity.RowKey },
                        TableUpdateMode.Replace,
                        cancellationToken).ConfigureAwait(false);
                }

                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // A sweeper claimed it or another evaluation wrote it since we read it: read again and re-decide.
                await Task.Delay(Random.Shared.Next(1, 5 + (attempt * 5)), cancellationToken).ConfigureAwait(false);
                var current = await _clocks.GetEntityIfExistsAsync<TableEntity>(partition, Key(clock.Rule), cancellationToken: cancellationToken).ConfigureAwait(false);
                existing = current.HasValue ? current.Value : null;
            }
        }

        throw new InvalidOperationException($"escalation clock {pullRequest.PullRequestKey} rule \"{clock.Rule}\" kept changing: gave up after {MaxCasAttempts} attempts");
    }

    public async Task<IReadOnlyList<EscalationClock>> ClaimDueAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var claimed = new List<EscalationClock>();
        var upTo = Ticks(now.UtcTicks + 1);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {DuePartition} and RowKey lt {upTo}");
        await foreach (var index in _due.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var read = await _clocks.GetEntityIfExistsAsync<TableEntity>(index.GetString("ClockPartition"), index.GetString("ClockRow"), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            var clock = read.HasValue ? read.Value : null;
            if (clock is null || clock.GetInt64("FiredTicks") is not null || DueRow(clock) != index.RowKey)
            {
                // Removed, fired, or restarted with another due time: the row points at nothing to fire.
                await DeleteAsync(_due, DuePartition, index.RowKey, cancellationToken).ConfigureAwait(false);
                continue;
            }

            clock["FiredTicks"] = now.UtcTicks;
            try
            {
                await _clocks.UpdateEntityAsync(clock, clock.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                // Another sweeper claimed it, or an evaluation changed or removed it since we read it: not ours. Its
                // index row stays for whoever owns the change (the next sweep drops it if it went stale).
                continue;
            }

            claimed.Add(ToClock(clock));
            await DeleteAsync(_due, DuePartition, index.RowKey, cancellationToken).ConfigureAwait(false);
        }

        return claimed;
    }

    public async Task<IReadOnlyList<EscalationClock>> FiredAsync(ReviewRequest pullRequest, string headSha, CancellationToken cancellationToken = default)
    {
        var fired = new List<EscalationClock>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Key(pullRequest.PullRequestKey)} and HeadSha eq {headSha}");
        await foreach (var e in _clocks.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (e.GetInt64("FiredTicks") is not null)
            {
                fired.Add(ToClock(e));
            }
        }

        return [.. fired.OrderBy(c => c.Rule, StringComparer.Ordinal)];
    }

    /// <summary>The index row of a clock: due time first (fixed width), then its keys, with '_' escaped so the separator is unambiguous.</summary>
    private static string DueRow(TableEntity clock)
        => Ticks(clock.GetInt64("DueTicks")!.Value) + "_" + clock.PartitionKey.Replace("_", "%5F", StringComparison.Ordinal) + "_" + clock.RowKey.Replace("_", "%5F", StringComparison.Ordinal);

    private static string Ticks(long ticks) => ticks.ToString("D19", CultureInfo.InvariantCulture);

    private static async Task DeleteAsync(TableClient table, string partition, string row, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(partition, row, ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // already gone
        }
    }

    private static EscalationClock ToClock(TableEntity e)
    {
        var head = e.GetString("HeadSha");
        return new EscalationClock
        {
            PullRequest = new ReviewRequest
            {
                Platform = Platform.Parse(e.GetString("Platform")),
                Repository = e.GetString("Repository"),
                Number = e.GetInt64("Number")!.Value,
                InstallationId = e.GetInt64("InstallationId"),
                ProjectId = e.GetInt64("ProjectId"),
                HeadSha = head,
                DeliveryId = "escalation",
                Event = "escalation",
            },
            Rule = e.GetString("Rule"),
            HeadSha = head,
            Group = e.GetString("Group"),
            After = TimeSpan.FromTicks(e.GetInt64("AfterTicks")!.Value),
            StartedAt = new DateTimeOffset(e.GetInt64("StartedTicks")!.Value, TimeSpan.Zero),
            FiredAt = e.GetInt64("FiredTicks") is { } fired ? new DateTimeOffset(fired, TimeSpan.Zero) : null,
        };
    }
}
