using System.Text;
using System.Text.Json.Nodes;
using ReviewBot.Cli;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Pipeline;
using ReviewBot.Core.Ports;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Core.Snapshot;
using ReviewBot.Pipeline.Replay;
using ReviewBot.Storage;
using ReviewBot.Storage.Sqlite;
using ReviewBot.TestSupport;

namespace ReviewBot.Cli.Tests;

/// <summary>
/// `reviewbot audit replay` over a real SQLite file holding an evaluation recorded the way the pipeline records it
/// (recording contents and membership, then the audit record): the same decision exits 0, an altered record or
/// other rules exit 1 with the difference, a record that cannot be replayed exits 2; contents stay out of
/// `audit export` and `audit show`.
/// </summary>
public sealed class AuditReplayCommandTests : IDisposable
{
    private const string Secret = "content-secret-91c2e";
    private static readonly DateTimeOffset Noon = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private const string Rules = """
        version: 1
        groups:
          seniors: { teams: [acme/seniors] }
        rules:
          - name: AI changes need a senior
            if: { authorship: [ai-authored, ai-assisted] }
            require:
              approvals: [{ group: seniors, count: 1 }]
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("reviewbot-replay-cli-").FullName;

    private string Db => Path.Combine(_dir, "audit.db");

    public AuditReplayCommandTests()
    {
        RecordAsync("r1", record => record).GetAwaiter().GetResult();
        RecordAsync("altered", record => record with { Decision = record.Decision! with { State = DecisionState.Pass } }).GetAwaiter().GetResult();
    }

    /// <summary>Evaluates the change as the pipeline does (recording what it reads) and stores the record, altered by <paramref name="alter"/>.</summary>
    private async Task RecordAsync(string id, Func<AuditRecord, AuditRecord> alter)
    {
        var snapshot = new PullRequestSnapshot
        {
            Platform = Platform.GitHub,
            Repository = "acme/api",
            Number = 7,
            Author = new Person { Login = "copilot-swe-agent[bot]", IsBot = true },
            BaseRef = "main",
            BaseSha = "b1",
            HeadRef = "copilot/fix",
            HeadSha = "h1",
            Files = [new ChangedFile { Path = "src/Tool.cs", Status = FileStatus.Modified, Additions = 2, Patch = "@@ -1 +1,2 @@\n+// " + Secret }],
            Reviews = [new Review { Reviewer = new Person { Login = "bob" }, State = ReviewState.Approved, CommitSha = "h1" }],
            Contents = new InMemoryFileContents(new Dictionary<FileRequest, byte[]>
            {
                [new("src/Tool.cs", Side.Base)] = "class Tool { void Run(string c) { } }"u8.ToArray(),
                [new("src/Tool.cs", Side.Head)] = Encoding.UTF8.GetBytes($"class Tool {{ // {Secret}\n void Run(string c) {{ System.Diagnostics.Process.Start(c); }} }}"),
            }),
        };
        var recording = new EvaluationRecording(snapshot, new Teams(new() { ["acme/seniors"] = ["bob"] }));
        var rules = new RulesSource { Path = ".github/reviewbot.yml", Revision = "b1", Text = Rules, Origin = "base" };
        var outcome = await new ReviewEngine(new RoslynRiskAnalyzer(TimeProvider.System)).EvaluateAsync(recording.Snapshot, rules, recording.Membership);
        using var database = SqliteDatabase.Open(Db);
        var (evaluation, contents) = recording.Finish(id, outcome);
        await new SqliteEvaluationStore(database, TimeProvider.System, new StorageOptions()).RecordAsync(evaluation, contents);
        await new SqliteReviewStore(database, TimeProvider.System, new StorageOptions()).AppendAsync(alter(new AuditRecord
        {
            Id = id,
            Time = Noon,
            Platform = "github",
            Repository = "acme/api",
            Number = 7,
            HeadSha = "h1",
            RulesRevision = $"{rules.Path}@{rules.Revision}",
            Authorship = outcome.Authorship,
            Risk = outcome.Risk,
            Decision = outcome.Decision,
        }));
    }

    [Fact]
    public void The_recorded_decision_replays_to_the_same_decision()
    {
        var (code, stdout, _) = Run("audit", "replay", "r1", "--db", Db);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("rules:        .github/reviewbot.yml@b1 (base)", stdout, StringComparison.Ordinal);
        Assert.Contains("decision:     pending:", stdout, StringComparison.Ordinal);
        Assert.Contains("the same decision as recorded", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void An_altered_record_is_recomputed_and_the_difference_reported()
    {
        var (code, stdout, _) = Run("audit", "replay", "altered", "--db", Db);

        Assert.Equal(ExitCodes.NotMet, code);
        Assert.Contains("differs from the recorded decision in conclusion", stdout, StringComparison.Ordinal);
        Assert.Contains("  - recorded: pass", stdout, StringComparison.Ordinal);
        Assert.Contains("  + replayed: pending", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_rules_show_the_changed_requirements_as_json()
    {
        var stricter = Path.Combine(_dir, "stricter.yml");
        File.WriteAllText(stricter, Rules.Replace("count: 1", "count: 2", StringComparison.Ordinal));

        var (code, stdout, _) = Run("audit", "replay", "r1", "--db", Db, "--rules", stricter, "--format", "json");

        Assert.Equal(ExitCodes.NotMet, code);
        var json = JsonNode.Parse(stdout)!;
        Assert.False((bool)json["same"]!);
        Assert.Equal("file", (string?)json["rules"]!["origin"]);
        var requirements = Assert.Single(json["differences"]!.AsArray(), d => (string?)d!["aspect"] == "requirements")!;
        Assert.Contains("approvals AI changes need a senior: 0/1 from group seniors", requirements["recorded"]!.AsArray().Select(n => (string?)n));
        Assert.Contains("approvals AI changes need a senior: 0/2 from group seniors", requirements["replayed"]!.AsArray().Select(n => (string?)n));
        Assert.Equal("pending", (string?)json["decision"]!["state"]);
        Assert.DoesNotContain(Secret, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Backtest_over_the_store_replays_every_recorded_evaluation_and_compares_decisions()
    {
        var recordedRules = Path.Combine(_dir, "recorded.yml");
        File.WriteAllText(recordedRules, Rules);

        var (code, stdout, stderr) = Run("backtest", "--db", Db, "--rules", recordedRules, "--format", "json");

        Assert.True(code == ExitCodes.NotMet, stderr);
        var json = JsonNode.Parse(stdout)!;
        Assert.Equal("store", (string?)json["source"]);
        Assert.Equal("the recorded decisions", (string?)json["against"]);
        Assert.Equal(2, (int)json["counts"]!["changes"]!);
        Assert.Equal(1, (int)json["gatedDifferently"]!); // the same rules: only the altered record's decision differs
        var altered = Assert.Single(json["differences"]!.AsArray())!;
        Assert.Equal("altered", (string?)altered["change"]!["base"]);
        Assert.Equal("pass", (string?)altered["before"]!["state"]);
        Assert.Equal("pending", (string?)altered["after"]!["state"]);
        Assert.Equal(["(conclusion)"], altered["rules"]!.AsArray().Select(n => (string?)n));

        var stricter = Path.Combine(_dir, "stricter.yml");
        File.WriteAllText(stricter, Rules.Replace("count: 1", "count: 2", StringComparison.Ordinal));
        var (strictCode, text, _) = Run("backtest", "--db", Db, "--rules", stricter);
        Assert.Equal(ExitCodes.NotMet, strictCode);
        Assert.Contains("Gated differently: 2 of 2 (100%)", text, StringComparison.Ordinal);
        Assert.Contains("  AI changes need a senior: 2 change(s)", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, stdout + text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_contents_the_analysis_read_never_appear_in_export_or_show()
    {
        var (exportCode, export, _) = Run("audit", "export", "--db", Db);
        var (showCode, show, _) = Run("audit", "show", "r1", "--db", Db, "--json");

        Assert.Equal(0, exportCode);
        Assert.Equal(0, showCode);
        Assert.Contains("\"id\":\"r1\"", export, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, export, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, show, StringComparison.Ordinal);
        using var database = SqliteDatabase.Open(Db);
        var recorded = (await new SqliteEvaluationStore(database, TimeProvider.System, new StorageOptions()).GetAsync("r1"))!;
        Assert.DoesNotContain(Secret, RecordedEvaluationJson.Serialize(recorded), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_without_a_recorded_snapshot_or_with_pruned_contents_cannot_be_replayed()
    {
        using (var database = SqliteDatabase.Open(Db))
        {
            await new SqliteReviewStore(database, TimeProvider.System, new StorageOptions())
                .AppendAsync(AuditSamples.Decision("old", "acme/api", 7, Noon, DecisionState.Pass));
        }

        var (code, _, stderr) = Run("audit", "replay", "old", "--db", Db);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("has no recorded snapshot", stderr, StringComparison.Ordinal);

        (code, _, stderr) = Run("audit", "replay", "nope", "--db", Db);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("no audit record with id 'nope'", stderr, StringComparison.Ordinal);

        // A year later, pruning drops the contents (base, head and patch: stored once for both records) no evaluation within the retention references.
        using (var database = SqliteDatabase.Open(Db))
        {
            var later = new ManualClock(DateTimeOffset.UtcNow.AddDays(365));
            Assert.Equal(3, await new SqliteEvaluationStore(database, later, new StorageOptions()).PruneAsync());
        }

        (code, _, stderr) = Run("audit", "replay", "r1", "--db", Db);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("are no longer stored", stderr, StringComparison.Ordinal);
    }

    private sealed class Teams(Dictionary<string, string[]> teams) : IGroupMembership
    {
        public Task<IReadOnlyCollection<string>> GetMembersAsync(string team, CancellationToken cancellationToken = default)
            => Task.FromResult<IReadOnlyCollection<string>>(teams[team]);
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args) => InProcessCli.Run(args);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
