using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ReviewBot.Core.Serialization;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Storage.Sqlite;

namespace ReviewBot.Cli.Commands;

/// <summary>
/// `reviewbot audit list|show|export|replay`: reads the audit log of the embedded SQLite store.
/// <c>--db</c> defaults to <c>ReviewBot__Storage__SqlitePath</c>, else <c>reviewbot.db</c> in the current directory.
/// </summary>
public static class AuditCommand
{
    public static Command Create()
    {
        var audit = new Command("audit", "Read the audit log of decisions, and of MCP tool calls and escalations (SQLite store).");
        audit.Subcommands.Add(List());
        audit.Subcommands.Add(Show());
        audit.Subcommands.Add(Export());
        audit.Subcommands.Add(AuditReplayCommand.Create());
        return audit;
    }

    private sealed record Filters(Option<string> Db, Option<string> Repo, Option<long?> Pr, Option<string> Since, Option<int> Limit);

    private static Filters AddFilters(Command command, int defaultLimit)
    {
        var f = new Filters(
            StoreFile.Option(),
            new Option<string>("--repo") { Description = "Only this repository (owner/name or group/project).", HelpName = "REPO" },
            new Option<long?>("--pr") { Description = "Only this pull/merge request number.", HelpName = "NUMBER" },
            new Option<string>("--since")
            {
                Description = "Only records at or after this time: ISO 8601 (2026-11-01, 2026-11-01T12:00Z) or an age (30m, 24h, 7d).",
                HelpName = "WHEN",
            },
            new Option<int>("--limit")
            {
                Description = $"At most this many records, newest first (0: all; default {defaultLimit}).",
                DefaultValueFactory = _ => defaultLimit,
                HelpName = "N",
            });
        command.Options.Add(f.Db);
        command.Options.Add(f.Repo);
        command.Options.Add(f.Pr);
        command.Options.Add(f.Since);
        command.Options.Add(f.Limit);
        return f;
    }

    private static Command List()
    {
        var list = new Command("list", "List recorded decisions, newest first.");
        var f = AddFilters(list, defaultLimit: 50);
        var json = new Option<bool>("--json") { Description = "One JSON object per line instead of the table." };
        list.Options.Add(json);
        list.SetAction(async (parse, cancellationToken) =>
        {
            var records = await QueryAsync(parse, f, cancellationToken);
            var output = CliApp.Out(parse);
            if (parse.GetValue(json))
            {
                WriteLines(output, records);
                return ExitCodes.Success;
            }

            if (records.Count == 0)
            {
                output.WriteLine("no audit records match");
                return ExitCodes.Success;
            }

            output.WriteLine($"{"ID",-44} {"TIME (UTC)",-20} {"PULL REQUEST",-30} {"HEAD",-7} {"STATE",-7} {"AUTHORSHIP",-11} SUMMARY");
            foreach (var r in records)
            {
                output.WriteLine(
                    $"{r.Id,-44} {r.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),-20} "
                    + $"{r.Repository + "#" + r.Number,-30} {Short(r.HeadSha),-7} {State(r),-7} {Kind(r),-11} {Summary(r)}");
            }

            return ExitCodes.Success;
        });
        return list;
    }

    private static Command Show()
    {
        var show = new Command("show", "Show one recorded decision: authorship evidence, findings, decision, actions, error.");
        var id = new Argument<string>("id") { Description = "Record id (first column of `audit list`)." };
        var db = StoreFile.Option();
        var json = new Option<bool>("--json") { Description = "The record as indented JSON." };
        show.Arguments.Add(id);
        show.Options.Add(db);
        show.Options.Add(json);
        show.SetAction(async (parse, cancellationToken) =>
        {
            using var store = OpenStore(parse.GetValue(db));
            var record = await store.GetAsync(parse.GetValue(id)!, cancellationToken)
                         ?? throw new UsageException($"no audit record with id '{parse.GetValue(id)}' in {store.Database.Path}");
            var output = CliApp.Out(parse);
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(record, ReviewBotJson.Options));
            }
            else
            {
                WriteDetails(output, record);
            }

            return ExitCodes.Success;
        });
        return show;
    }

    private static Command Export()
    {
        var export = new Command("export", "Export records as JSON lines (oldest first), for archives and SIEM ingestion.");
        var f = AddFilters(export, defaultLimit: 0);
        export.SetAction(async (parse, cancellationToken) =>
        {
            var records = await QueryAsync(parse, f, cancellationToken);
            WriteLines(CliApp.Out(parse), records.Reverse());
            return ExitCodes.Success;
        });
        return export;
    }

    private static async Task<IReadOnlyList<AuditRecord>> QueryAsync(ParseResult parse, Filters f, CancellationToken cancellationToken)
    {
        var limit = parse.GetValue(f.Limit);
        if (limit < 0)
        {
            throw new UsageException($"--limit must be 0 (all) or more, not {limit}");
        }

        var query = new AuditQuery
        {
            Repository = parse.GetValue(f.Repo),
            Number = parse.GetValue(f.Pr),
            Since = ParseSince(parse.GetValue(f.Since), TimeProvider.System.GetUtcNow()),
            Limit = limit,
        };
        using var store = OpenStore(parse.GetValue(f.Db));
        return await store.ListAsync(query, cancellationToken);
    }

    /// <summary>ISO 8601 date/time (UTC when no offset), or an age: 90s, 30m, 24h, 7d.</summary>
    internal static DateTimeOffset? ParseSince(string? text, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var t = text.Trim();
        if (t.Length >= 2 && char.IsDigit(t[0]) && "smhd".Contains(t[^1], StringComparison.Ordinal)
            && int.TryParse(t[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return now - (t[^1] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            });
        }

        if (DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var when))
        {
            return when;
        }

        throw new UsageException($"--since '{text}' is neither an ISO 8601 time (2026-11-01, 2026-11-01T12:00Z) nor an age (30m, 24h, 7d)");
    }

    private static SqliteReviewStore OpenStore(string? db) => SqliteReviewStore.Open(StoreFile.Resolve(db));

    private static void WriteLines(TextWriter output, IEnumerable<AuditRecord> records)
    {
        foreach (var r in records)
        {
            output.WriteLine(JsonSerializer.Serialize(r, ReviewBotJson.Compact));
        }
    }

    private static void WriteDetails(TextWriter o, AuditRecord r)
    {
        o.WriteLine($"id:           {r.Id}");
        o.WriteLine($"time:         {r.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC");
        o.WriteLine($"pull request: {r.Platform} {r.Repository}#{r.Number} @ {r.HeadSha}");
        o.WriteLine($"delivery:     {r.DeliveryId ?? "-"} ({r.Event ?? "-"})");
        o.WriteLine($"rules:        {r.RulesRevision ?? "(none)"}");
        if (r.Authorship is { } a)
        {
            o.WriteLine($"authorship:   {Kind(r)} ({Json(a.Confidence)} confidence){(a.Agents.Count > 0 ? ", agents " + string.Join(", ", a.Agents) : "")}{(a.Initiator is null ? "" : ", initiator " + a.Initiator)}");
            if (a.Reason.Length > 0)
            {
                o.WriteLine($"              {a.Reason}");
            }

            foreach (var e in a.Evidence)
            {
                o.WriteLine($"  evidence    {e.Signal} [{Json(e.Strength)} → {Json(e.Implies)}] at {e.Location}: {e.Matched}");
            }
        }

        if (r.Risk is { } risk)
        {
            o.WriteLine($"risk:         {Json(risk.Level)} (score {risk.Score.ToString("0.##", CultureInfo.InvariantCulture)}, {risk.Findings.Count} finding(s))");
            foreach (var f in risk.Findings)
            {
                o.WriteLine($"  finding     {f.RuleId} {Json(f.Severity)} {f.Path}:{f.StartLine}: {f.Title}");
            }
        }

        if (r.Decision is { } d)
        {
            o.WriteLine($"decision:     {Json(d.State)}: {d.Title}");
            foreach (var req in d.Approvals)
            {
                o.WriteLine($"  approvals   {req.Approved}/{req.Required} from {req.From} (rule {req.Rule})");
                foreach (var s in req.Reviewers)
                {
                    o.WriteLine($"              {s.Reviewer}: {Json(s.Verdict)}: {s.Reason}");
                }
            }

            foreach (var b in d.Blocks)
            {
                o.WriteLine($"  blocked     {b.Rule}: {b.Message}");
            }
        }

        if (r.MergeGroup is { } group)
        {
            o.WriteLine($"merge group:  {Json(group.State)}: {group.Title} ({group.Group.HeadRef} into {group.Group.BaseRef}{(group.Group.Ended is { } ended ? ", ended: " + ended : "")})");
            foreach (var m in group.Members)
            {
                o.WriteLine($"  member      #{m.Number} @ {Short(m.HeadSha)}: {(m.Error is not null ? "error: " + m.Error : m.Decision is { } decision ? Json(decision) : "not evaluated")}");
            }

            foreach (var unknown in group.Unknown)
            {
                o.WriteLine($"  unknown     {unknown}");
            }
        }

        foreach (var action in r.Actions)
        {
            o.WriteLine($"action:       {action}");
        }

        if (r.Error is not null)
        {
            o.WriteLine($"error:        {r.Error}");
        }
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, ReviewBotJson.Compact).Trim('"');

    private static string State(AuditRecord r) => ReviewBot.Storage.AuditJson.StateOf(r) is var state && state == "none" ? "-" : state;

    private static string Kind(AuditRecord r) => r.Authorship is null ? "-" : Json(r.Authorship.Kind);

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;

    private static string Summary(AuditRecord r)
    {
        // A record without a decision (a merge group, an MCP tool call, an escalation) is summarised by what it did.
        var text = r.Error ?? r.Decision?.Title ?? r.MergeGroup?.Title ?? r.Actions.FirstOrDefault() ?? "";
        return text.Length > 80 ? text[..77] + "..." : text;
    }
}
