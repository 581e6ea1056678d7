using Microsoft.Data.Sqlite;
using ReviewBot.Core.Snapshot;
using ReviewBot.Pipeline.Ports;
using static ReviewBot.Storage.Sqlite.SqliteDatabase;

namespace ReviewBot.Storage.Sqlite;

/// <summary>
/// Escalation clocks in the SQLite file. A claim is one <c>UPDATE … WHERE fired_ticks IS NULL … RETURNING</c>: SQLite
/// runs it under the file's write lock, so of several sweepers (threads or processes) exactly one gets each clock.
/// </summary>
public sealed class SqliteEscalationStore(SqliteDatabase database) : IEscalationStore
{
    private const string Columns = "platform, repository, number, installation_id, project_id, rule, head_sha, grp, after_ticks, started_ticks, fired_ticks";

    public Task WatchAsync(ReviewRequest pullRequest, string headSha, IReadOnlyList<EscalationClock> clocks, DateTimeOffset now, CancellationToken cancellationToken = default)
        => database.WriteAsync((c, tx) =>
        {
            var key = pullRequest.PullRequestKey;
            var rules = clocks.Select(k => k.Rule).ToHashSet(StringComparer.Ordinal);
            var running = new List<string>();
            using (var select = Command(c, tx, "SELECT rule FROM escalations WHERE pr_key = $key"))
            {
                select.Parameters.AddWithValue("$key", key);
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    running.Add(reader.GetString(0));
                }
            }

            using (var delete = Command(c, tx, "DELETE FROM escalations WHERE pr_key = $key AND rule = $rule"))
            {
                delete.Parameters.AddWithValue("$key", key);
                var rule = delete.Parameters.Add("$rule", SqliteType.Text);
                foreach (var gone in running.Where(r => !rules.Contains(r)))
                {
                    rule.Value = gone;
                    delete.ExecuteNonQuery();
                }
            }

            // Same rule and head: the clock keeps its start and whether it fired. A new head (a push) starts it again.
            using var upsert = Command(c, tx, """
                INSERT INTO escalations (pr_key, rule, platform, repository, number, installation_id, project_id, head_sha, grp, after_ticks, started_ticks, due_ticks, fired_ticks)
                VALUES ($key, $rule, $platform, $repo, $number, $installation, $project, $head, $group, $after, $now, $now + $after, NULL)
                ON CONFLICT (pr_key, rule) DO UPDATE SET
                    grp = excluded.grp,
                    after_ticks = excluded.after_ticks,
                    installation_id = excluded.installation_id,
                    project_id = excluded.project_id,
                    started_ticks = CASE WHEN head_sha = excluded.head_sha THEN started_ticks ELSE excluded.started_ticks END,
                    due_ticks = CASE WHEN head_sha = excluded.head_sha THEN started_ticks ELSE excluded.started_ticks END + excluded.after_ticks,
                    fired_ticks = CASE WHEN head_sha = excluded.head_sha THEN fired_ticks ELSE NULL END,
                    head_sha = excluded.head_sha
                """);
            upsert.Parameters.AddWithValue("$key", key);
            upsert.Parameters.AddWithValue("$platform", pullRequest.Platform.Id);
            upsert.Parameters.AddWithValue("$repo", pullRequest.Repository);
            upsert.Parameters.AddWithValue("$number", pullRequest.Number);
            upsert.Parameters.AddWithValue("$installation", (object?)pullRequest.InstallationId ?? DBNull.Value);
            upsert.Parameters.AddWithValue("$project", (object?)pullRequest.ProjectId ?? DBNull.Value);
            upsert.Parameters.AddWithValue("$head", headSha);
            upsert.Parameters.AddWithValue("$now", now.UtcTicks);
            var ruleName = upsert.Parameters.Add("$rule", SqliteType.Text);
            var group = upsert.Parameters.Add("$group", SqliteType.Text);
            var after = upsert.Parameters.Add("$after", SqliteType.Integer);
            foreach (var clock in clocks)
            {
                ruleName.Value = clock.Rule;
                group.Value = clock.Group;
                after.Value = clock.After.Ticks;
                upsert.ExecuteNonQuery();
            }

            return 0;
        }, cancellationToken);

    public Task<IReadOnlyList<EscalationClock>> ClaimDueAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
        => database.WriteAsync<IReadOnlyList<EscalationClock>>((c, tx) =>
        {
            using var claim = Command(c, tx, $"UPDATE escalations SET fired_ticks = $now WHERE fired_ticks IS NULL AND due_ticks <= $now RETURNING {Columns}");
            claim.Parameters.AddWithValue("$now", now.UtcTicks);
            return Read(claim);
        }, cancellationToken);

    public Task<IReadOnlyList<EscalationClock>> FiredAsync(ReviewRequest pullRequest, string headSha, CancellationToken cancellationToken = default)
    {
        using var c = database.OpenReader();
        using var select = Command(c, null, $"SELECT {Columns} FROM escalations WHERE pr_key = $key AND head_sha = $head AND fired_ticks IS NOT NULL ORDER BY rule");
        select.Parameters.AddWithValue("$key", pullRequest.PullRequestKey);
        select.Parameters.AddWithValue("$head", headSha);
        return Task.FromResult(Read(select));
    }

    private static IReadOnlyList<EscalationClock> Read(SqliteCommand command)
    {
        var clocks = new List<EscalationClock>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            clocks.Add(new EscalationClock
            {
                PullRequest = new ReviewRequest
                {
                    Platform = Platform.Parse(reader.GetString(0)),
                    Repository = reader.GetString(1),
                    Number = reader.GetInt64(2),
                    InstallationId = reader.IsDBNull(3) ? null : reader.GetInt64(3),
                    ProjectId = reader.IsDBNull(4) ? null : reader.GetInt64(4),
                    HeadSha = reader.GetString(6),
                    DeliveryId = "escalation",
                    Event = "escalation",
                },
                Rule = reader.GetString(5),
                HeadSha = reader.GetString(6),
                Group = reader.GetString(7),
                After = TimeSpan.FromTicks(reader.GetInt64(8)),
                StartedAt = new DateTimeOffset(reader.GetInt64(9), TimeSpan.Zero),
                FiredAt = reader.IsDBNull(10) ? null : new DateTimeOffset(reader.GetInt64(10), TimeSpan.Zero),
            });
        }

        return clocks;
    }
}
