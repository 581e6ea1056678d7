using System.CommandLine;
using System.Text.Json;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Pipeline;
using ReviewBot.Core.Ports;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Core.Serialization;
using ReviewBot.Pipeline.Replay;
using ReviewBot.Storage;
using ReviewBot.Storage.Sqlite;

namespace ReviewBot.Cli.Commands;

/// <summary>
/// <c>reviewbot audit replay ID [--rules FILE] [--format text|json] [--db FILE]</c>: re-evaluates a recorded decision
/// offline (recorded snapshot, contents from the content store, recorded team memberships, recorded rules or FILE)
/// and shows what differs from the recorded decision. Exit 0: the same decision; 1: it differs; 2: the record
/// cannot be replayed (unknown id, no recorded snapshot, contents pruned, a team the recording never resolved) or
/// bad usage.
/// </summary>
public static class AuditReplayCommand
{
    public static Command Create()
    {
        var replay = new Command(
            "replay",
            "Re-evaluate a recorded decision offline and show what differs (exit 0 same, 1 differs, 2 cannot replay).");
        var id = new Argument<string>("id") { Description = "Record id (first column of `audit list`)." };
        var rules = LocalRules.RulesOption("Replay with this rules file instead of the recorded rules.");
        var format = new Option<string>("--format") { Description = "Output format.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var db = StoreFile.Option();
        replay.Arguments.Add(id);
        replay.Options.Add(rules);
        replay.Options.Add(format);
        replay.Options.Add(db);
        replay.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetValue(rules);
            var rulesOverride = file is null ? null : LocalRules.ReadFile(file);
            using var database = SqliteDatabase.Open(StoreFile.Resolve(parse.GetValue(db)));
            var audit = new SqliteReviewStore(database, TimeProvider.System, new StorageOptions());
            var record = await audit.GetAsync(parse.GetValue(id)!, cancellationToken).ConfigureAwait(false)
                         ?? throw new UsageException($"no audit record with id '{parse.GetValue(id)}' in {database.Path}");
            var replayer = new EvaluationReplayer(new ReviewEngine(new RoslynRiskAnalyzer(TimeProvider.System)), new SqliteEvaluationStore(database, TimeProvider.System, new StorageOptions()));
            ReplayResult result;
            try
            {
                result = await replayer.ReplayAsync(record, rulesOverride, cancellationToken).ConfigureAwait(false);
            }
            catch (ReplayUnavailableException ex)
            {
                throw new UsageException(ex.Message);
            }

            var output = CliApp.Out(parse);
            if (parse.GetValue(format) == "json")
            {
                output.WriteLine(JsonSerializer.Serialize(Json(result), ReviewBotJson.Options));
            }
            else
            {
                WriteText(output, result);
            }

            return result.Same ? ExitCodes.Success : ExitCodes.NotMet;
        });
        return replay;
    }

    /// <summary>The JSON output: what was replayed with what, the differences, and the recomputed decision (never file contents).</summary>
    private static object Json(ReplayResult r) => new
    {
        id = r.Record.Id,
        same = r.Same,
        recordedWith = r.Evaluation.ReviewBotVersion,
        replayedWith = ReviewBotVersion.Current,
        rules = Where(r.Replayed.Rules),
        organisationRules = Where(r.Replayed.OrganisationRules),
        differences = r.Differences,
        decision = r.Replayed.Decision,
        authorship = r.Replayed.Authorship,
        risk = r.Replayed.Risk,
    };

    private static object? Where(RulesSource? rules) => rules is null ? null : new { rules.Path, rules.Revision, rules.Origin };

    private static void WriteText(TextWriter o, ReplayResult r)
    {
        o.WriteLine($"replay of:    {r.Record.Id}");
        o.WriteLine($"pull request: {r.Record.Platform} {r.Record.Repository}#{r.Record.Number} @ {r.Record.HeadSha}");
        o.WriteLine($"versions:     recorded by ReviewBot {r.Evaluation.ReviewBotVersion}, replayed by {ReviewBotVersion.Current}");
        var rules = new[] { r.Replayed.OrganisationRules, r.Replayed.Rules }.OfType<RulesSource>().Select(s => $"{s.Path}@{s.Revision} ({s.Origin})").ToList();
        o.WriteLine($"rules:        {(rules.Count == 0 ? "(none)" : string.Join(" + ", rules))}");
        o.WriteLine($"decision:     {ReviewBotJson.Name(r.Replayed.Decision.State)}: {r.Replayed.Decision.Title}");
        if (r.Same)
        {
            o.WriteLine("result:       the same decision as recorded");
            return;
        }

        o.WriteLine($"result:       differs from the recorded decision in {string.Join(", ", r.Differences.Select(d => d.Aspect))}");
        foreach (var d in r.Differences)
        {
            o.WriteLine($"{d.Aspect}:");
            foreach (var line in d.Recorded)
            {
                o.WriteLine($"  - recorded: {line}");
            }

            foreach (var line in d.Replayed)
            {
                o.WriteLine($"  + replayed: {line}");
            }
        }
    }
}
