using System.Text.Json;
using ReviewBot.Cli.Commands;
using ReviewBot.Core.Decisions;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Storage.Sqlite;
using ReviewBot.TestSupport;

namespace ReviewBot.Cli.Tests;

/// <summary>`reviewbot audit list|show|export` over a real SQLite file written by the store.</summary>
public sealed class AuditCommandTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("reviewbot-audit-cli-").FullName;
    private string Db => Path.Combine(_dir, "audit.db");

    public AuditCommandTests()
    {
        using var store = SqliteReviewStore.Open(Db);
        store.AppendAsync(Record("r1", "acme/api", 7, Noon, DecisionState.Pending)).GetAwaiter().GetResult();
        store.AppendAsync(Record("r2", "acme/api", 7, Noon.AddHours(1), DecisionState.Pass)).GetAwaiter().GetResult();
        store.AppendAsync(Record("r3", "acme/web", 3, Noon.AddHours(2), DecisionState.Fail)).GetAwaiter().GetResult();
        store.AppendAsync(new AuditRecord
        {
            Id = "poison.d-9",
            Time = Noon.AddHours(3),
            Platform = "github",
            Repository = "acme/api",
            Number = 8,
            HeadSha = "",
            Error = "poison: gave up after 5 attempt(s)",
        }).GetAwaiter().GetResult();
    }

    [Fact]
    public void List_prints_a_table_newest_first()
    {
        var (code, stdout, _) = Run("audit", "list", "--db", Db);

        Assert.Equal(0, code);
        var lines = stdout.TrimEnd().Split('\n');
        Assert.StartsWith("ID", lines[0], StringComparison.Ordinal);
        Assert.Equal(["poison.d-9", "r3", "r2", "r1"], lines.Skip(1).Select(l => l.Split(' ')[0]).ToArray());
        Assert.Contains("acme/web#3", lines[2], StringComparison.Ordinal);
        Assert.Contains("fail", lines[2], StringComparison.Ordinal);
        Assert.Contains("error", lines[1], StringComparison.Ordinal);
        Assert.Contains("gave up", lines[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--repo acme/api", "poison.d-9 r2 r1")]
    [InlineData("--repo acme/api --pr 7", "r2 r1")]
    [InlineData("--since 2026-11-20T13:00:00Z", "poison.d-9 r3 r2")]
    [InlineData("--limit 2", "poison.d-9 r3")]
    public void List_filters(string filters, string expectedIds)
    {
        var (code, stdout, _) = Run(["audit", "list", "--db", Db, "--json", .. filters.Split(' ')]);

        Assert.Equal(0, code);
        var ids = stdout.TrimEnd().Split('\n').Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString());
        Assert.Equal(expectedIds, string.Join(' ', ids));
    }

    [Fact]
    public void Show_renders_evidence_decision_and_actions()
    {
        var (code, stdout, _) = Run("audit", "show", "r3", "--db", Db);

        Assert.Equal(0, code);
        Assert.Contains("pull request: github acme/web#3", stdout, StringComparison.Ordinal);
        Assert.Contains("authorship:   ai-authored (high confidence), agents copilot-coding-agent, initiator octocat", stdout, StringComparison.Ordinal);
        Assert.Contains("evidence    copilot-agent.pr-author [strong → ai-authored] at pr.author: Copilot", stdout, StringComparison.Ordinal);
        Assert.Contains("decision:     fail: Decision r3", stdout, StringComparison.Ordinal);
        Assert.Contains("rules:        .github/reviewbot.yml@89abcdef", stdout, StringComparison.Ordinal);
        Assert.Contains("finding     RB1001 high src/Api/Controller.cs:12: AllowAnonymous added", stdout, StringComparison.Ordinal);
        Assert.Contains("approvals   0/1 from group seniors (rule ai-authored)", stdout, StringComparison.Ordinal);
        Assert.Contains("action:       label added: ai-authored", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_merge_group_record_lists_with_its_state_and_shows_its_pull_requests()
    {
        using (var store = SqliteReviewStore.Open(Db))
        {
            await store.AppendAsync(new AuditRecord
            {
                Id = "group-1.1",
                Time = Noon.AddHours(4),
                Platform = "github",
                Repository = "acme/api",
                Number = 0,
                HeadSha = "2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d",
                Event = "merge_group.checks_requested",
                Actions = ["check run 9: in_progress \"Waiting for #8\" (merge group)"],
                MergeGroup = new MergeGroupAudit
                {
                    Group = new MergeGroupRef { HeadRef = "refs/heads/gh-readonly-queue/main/pr-8-929f8209d40f77f4abc622a499c93a83babdbe64", BaseRef = "refs/heads/main", BaseSha = "380387fbc80638b734a49e1be1c4dfec1c01b33c" },
                    State = MergeGroupState.Pending,
                    Title = "Waiting for #8",
                    Members = [new MergeGroupMember { Number = 7, HeadSha = "7777777777", Decision = DecisionState.Pass }, new MergeGroupMember { Number = 8, HeadSha = "929f8209d40f" }],
                },
            });
        }

        var (_, list, _) = Run("audit", "list", "--db", Db, "--limit", "1");
        var (code, show, _) = Run("audit", "show", "group-1.1", "--db", Db);

        Assert.Contains("pending", list, StringComparison.Ordinal);
        Assert.Contains("Waiting for #8", list, StringComparison.Ordinal);
        Assert.Equal(0, code);
        Assert.Contains("merge group:  pending: Waiting for #8 (refs/heads/gh-readonly-queue/main/pr-8-929f8209d40f77f4abc622a499c93a83babdbe64 into refs/heads/main)", show, StringComparison.Ordinal);
        Assert.Contains("  member      #7 @ 7777777: pass", show, StringComparison.Ordinal);
        Assert.Contains("  member      #8 @ 929f820: not evaluated", show, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_json_is_the_public_camel_case_shape()
    {
        var (code, stdout, _) = Run("audit", "show", "r1", "--db", Db, "--json");

        Assert.Equal(0, code);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("acme/api", root.GetProperty("repository").GetString());
        Assert.Equal("pending", root.GetProperty("decision").GetProperty("state").GetString());
        Assert.Equal("ai-authored", root.GetProperty("authorship").GetProperty("kind").GetString());
    }

    [Fact]
    public void Export_writes_json_lines_oldest_first()
    {
        var (code, stdout, _) = Run("audit", "export", "--db", Db);

        Assert.Equal(0, code);
        var lines = stdout.TrimEnd().Split('\n');
        Assert.Equal(4, lines.Length);
        var ids = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()!).ToArray();
        Assert.Equal(["r1", "r2", "r3", "poison.d-9"], ids);
    }

    [Theory]
    [InlineData("audit list --db {missing}", "no database at")]
    [InlineData("audit show nope --db {db}", "no audit record with id 'nope'")]
    [InlineData("audit list --db {db} --since yesterday", "--since 'yesterday' is neither")]
    [InlineData("audit export --db {db} --limit -1", "--limit must be 0 (all) or more")]
    public void User_errors_exit_2_with_one_line(string args, string message)
    {
        var argv = args.Replace("{missing}", Path.Combine(_dir, "missing.db"), StringComparison.Ordinal)
            .Replace("{db}", Db, StringComparison.Ordinal).Split(' ');
        var (code, _, stderr) = Run(argv);

        Assert.Equal(2, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Since_accepts_ages_and_iso_times()
    {
        Assert.Equal(Noon.AddDays(-7), AuditCommand.ParseSince("7d", Noon));
        Assert.Equal(Noon.AddMinutes(-30), AuditCommand.ParseSince("30m", Noon));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), AuditCommand.ParseSince("2026-11-01", Noon));
        Assert.Null(AuditCommand.ParseSince(null, Noon));
    }

    private static AuditRecord Record(string id, string repo, long number, DateTimeOffset time, DecisionState state)
    {
        var sample = AuditSamples.Decision(id, repo, number, time, state);
        return sample with { Decision = sample.Decision! with { Title = "Decision " + id } };
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args) => InProcessCli.Run(args);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
