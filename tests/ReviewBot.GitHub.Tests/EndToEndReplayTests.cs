using System.Text;
using Microsoft.Extensions.DependencyInjection;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Pipeline;
using ReviewBot.Core.Ports;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Core.Snapshot;
using ReviewBot.GitHub.Tests.Support;
using ReviewBot.Pipeline.Replay;
using ReviewBot.Storage;
using ReviewBot.TestSupport;

namespace ReviewBot.GitHub.Tests;

/// <summary>
/// Snapshots are values: the real host records what each decision decided on (snapshot, memberships, rules, the
/// contents it read in the content store), each recorded decision replays offline to the same decision, a replay
/// recomputes (an altered record shows the difference) and other rules show the changed requirements; the contents
/// never reach the audit log.
/// </summary>
public sealed class EndToEndReplayTests
{
    private const string ContentMarker = "content-only-marker-5d81c";

    private static async Task<(EndToEnd E2e, IReadOnlyList<AuditRecord> Records)> RunAsync()
    {
        var e2e = await EndToEnd.StartAsync(github =>
        {
            EndToEndEnforcementTests.Arrange(github);
            github.PullRequests[2].AddFile("src/Tool.cs");
            github.Blobs[$"{EndToEnd.BaseSha}:src/Tool.cs"] = "class Tool\n{\n    void Run(string command)\n    {\n    }\n}\n";
            github.Blobs[$"{EndToEndEnforcementTests.Head}:src/Tool.cs"] =
                $"class Tool\n{{\n    // {ContentMarker}\n    void Run(string command)\n    {{\n        System.Diagnostics.Process.Start(command);\n    }}\n}}\n";
        });
        var (evt, body) = Payloads.Fixture("pull_request.opened.json");
        await e2e.Host.DeliverAsync(evt, body, "replay-1", EndToEnd.Secret);
        await e2e.WaitForAuditAsync(1);

        e2e.GitHub.PullRequests[2].AddReview(77, "bob", "APPROVED", EndToEndEnforcementTests.Head);
        var (reviewEvent, reviewBody) = Payloads.Fixture("pull_request_review.submitted.json");
        await e2e.Host.DeliverAsync(reviewEvent, reviewBody, "replay-2", EndToEnd.Secret);
        return (e2e, await e2e.WaitForAuditAsync(2));
    }

    [Fact]
    public async Task Each_decision_records_what_it_decided_on_and_replays_to_the_same_decision_without_contents_in_the_audit_log()
    {
        var (e2e, records) = await RunAsync();
        await using var _ = e2e;
        Assert.Equal([DecisionState.Pending, DecisionState.Pass], records.Select(r => r.Decision!.State));

        Assert.Equal(2, await ReplayCheck.AssertEveryDecisionReplaysAsync(e2e.Host.Services));

        var store = e2e.Host.Services.GetRequiredService<IEvaluationStore>();
        var recorded = (await store.GetAsync(records[1].Id))!;
        Assert.Equal(ReviewBotVersion.Current, recorded.ReviewBotVersion);
        Assert.Equal(EndToEndEnforcementTests.Head, recorded.Snapshot.HeadSha);
        Assert.Equal("copilot-swe-agent[bot]", recorded.Snapshot.Author.Login);
        Assert.Contains(recorded.Snapshot.Reviews, r => r.Reviewer.Login == "bob" && r.State == ReviewState.Approved);
        Assert.Equal(["bob"], recorded.Teams["Codertocat/seniors"]);
        Assert.Equal("base", recorded.Rules!.Origin);
        Assert.Equal(FakeGitHub.GitBlobId(EndToEndEnforcementTests.Rules), recorded.Rules.Revision); // the rules file's blob, read at the base commit
        Assert.Equal(EndToEndEnforcementTests.Rules, recorded.Rules.Text);
        var head = Assert.Single(recorded.Contents, c => c.Path == "src/Tool.cs" && c.Side == Side.Head);
        Assert.Contains(recorded.Contents, c => c.Path == "src/Tool.cs" && c.Side == Side.Base);
        Assert.All(recorded.Snapshot.Files, f => Assert.Null(f.Patch));

        // The bytes are in the content store, under their hash…
        var bytes = (await store.GetContentsAsync([head.Sha256]))[head.Sha256];
        Assert.Contains(ContentMarker, Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.Equal(head.Sha256, EvaluationRecording.Sha256(bytes));

        // …and nowhere else: not in the audit records (what `audit export` and `audit show` print), not in the recorded snapshot.
        var all = await e2e.Audit.ListAsync(new AuditQuery { Limit = 0 });
        Assert.All(all, r => Assert.DoesNotContain(ContentMarker, AuditJson.Serialize(r), StringComparison.Ordinal));
        Assert.DoesNotContain(ContentMarker, RecordedEvaluationJson.Serialize(recorded), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replay_recomputes_an_altered_record_shows_the_difference_and_other_rules_show_the_changed_requirements()
    {
        var (e2e, records) = await RunAsync();
        await using var _ = e2e;
        var replayer = new EvaluationReplayer(new ReviewEngine(new RoslynRiskAnalyzer(TimeProvider.System)), e2e.Host.Services.GetRequiredService<IEvaluationStore>());
        var pending = records[0];
        Assert.NotEmpty(pending.Risk!.Findings);

        var altered = pending with
        {
            Decision = pending.Decision! with { State = DecisionState.Pass },
            Risk = pending.Risk with { Findings = [] },
        };
        var result = await replayer.ReplayAsync(altered);

        Assert.False(result.Same);
        var conclusion = Assert.Single(result.Differences, d => d.Aspect == "conclusion");
        Assert.Equal(["pass"], conclusion.Recorded);
        Assert.Equal(["pending"], conclusion.Replayed);
        var risk = Assert.Single(result.Differences, d => d.Aspect == "risk");
        Assert.Empty(risk.Recorded);
        Assert.Contains(risk.Replayed, line => line.Contains("src/Tool.cs", StringComparison.Ordinal));

        var stricter = new RulesSource
        {
            Path = "stricter.yml",
            Revision = "file",
            Origin = "file",
            Text = EndToEndEnforcementTests.Rules.Replace("count: 1", "count: 2", StringComparison.Ordinal),
        };
        var approved = await replayer.ReplayAsync(records[1], stricter);

        var requirements = Assert.Single(approved.Differences, d => d.Aspect == "requirements");
        Assert.Equal(["approvals AI changes need a senior: 1/1 from group seniors"], requirements.Recorded);
        Assert.Equal(
            ["approvals AI changes need a senior: 1/2 from group seniors", "request review from alice", "request review from team Codertocat/seniors"],
            requirements.Replayed);
        Assert.Equal(DecisionState.Pending, approved.Replayed.Decision.State);
    }
}
