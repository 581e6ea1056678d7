using ReviewBot.GitHub.Tests.Support;
using ReviewBot.Pipeline.Ports;
using ReviewBot.TestSupport;
using static ReviewBot.GitHub.Tests.Support.CommandThread;

namespace ReviewBot.GitHub.Tests;

/// <summary>
/// <c>/reviewbot dismiss &lt;finding id&gt; &lt;reason&gt;</c> end to end (real host, fake GitHub over HTTP): Devin's change
/// starts an OS process with a command of unknown origin (a medium finding), so <see cref="DismissRules"/> ask a reviewer (carol) and security (sam).
/// Sam's dismissal, delivered as <c>issue_comment</c> and read back from GitHub's API, sets the finding apart in the
/// check ("reviewed by") and lifts security's approval; it is refused from the author, the initiator, someone who could
/// not approve, without a reason and for an unknown id; the next push ends it.
/// </summary>
public sealed class EndToEndDismissTests
{
    private const string Head = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
    private const string NewHead = "9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a";
    private const string Branch = "devin/run-tool";
    private const string Devin = "devin-ai-integration[bot]";

    private static readonly DateTimeOffset Pushed = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    private static void Arrange(FakeGitHub github, string author = Devin, string body = "Runs the tool.")
    {
        var pr = new FakePullRequest
        {
            Number = 2, Author = author, AuthorType = FakeUsers.TypeOf(author), HeadSha = Head, BaseSha = EndToEnd.BaseSha,
            HeadRef = Branch, BaseRef = "master", Title = "Run the tool", Body = body,
        };
        pr.AddFile("src/Tool.cs").AddCommit(Head, "Run the tool", author, author);
        github.PullRequests[2] = pr;
        github.Blobs[$"{EndToEnd.BaseSha}:.github/reviewbot.yml"] = DismissRules.Text();
        github.Blobs[$"{EndToEnd.BaseSha}:src/Tool.cs"] = DismissRules.ToolBefore;
        github.Blobs[$"{Head}:src/Tool.cs"] = DismissRules.ToolAfter;
        github.Push(Branch, EndToEnd.BaseSha, Head, author, Pushed);
    }

    /// <summary>The first evaluation (the pull request opened), and the id of its RB3002 finding.</summary>
    private static async Task<(AuditRecord Record, string Id)> OpenedAsync(EndToEnd e2e)
    {
        var (evt, payload) = Payloads.Fixture("pull_request.opened.json");
        await e2e.Host.DeliverAsync(evt, payload, "opened-1", EndToEnd.Secret);
        var record = Assert.Single(await e2e.WaitForAuditAsync(1));
        Assert.True(record.Error is null, record.Error);
        var finding = Assert.Single(record.Risk!.Findings, f => f.RuleId == "RB3002");
        return (record, finding.Id);
    }

    [Fact]
    public async Task A_dismissal_by_security_sets_the_finding_apart_in_the_check_lifts_securitys_approval_and_is_audited_and_answered()
    {
        await using var e2e = await EndToEnd.StartAsync(github => Arrange(github));
        var (opened, id) = await OpenedAsync(e2e);

        var record = await CommentAsync(e2e, "sam", $"/reviewbot dismiss {id} the command comes from our own config, not from users", Pushed.AddHours(1), 2);

        Assert.Matches("^RB3002-[0-9a-f]{6}$", id);
        Assert.Equal(["group reviewers", "group security"], opened.Decision!.Approvals.Select(a => a.From));
        var dismissed = Assert.Single(record.Decision!.Dismissals);
        Assert.Equal((id, "sam", "the command comes from our own config, not from users", Head), (dismissed.Finding.Id, dismissed.By, dismissed.Reason, dismissed.HeadSha));
        Assert.Equal([$"{DismissRules.Risky}: 1 approval from group security"], record.Decision.LiftedByDismissals);
        Assert.Equal(["group reviewers"], record.Decision.Approvals.Select(a => a.From));
        Assert.Equal(id, Assert.Single(record.Risk!.Dismissed).Finding.Id);
        Assert.DoesNotContain(record.Risk.Findings, f => f.Id == id);
        Assert.True(record.Risk.Level < opened.Risk!.Level);

        var run = LatestRun(e2e, Head);
        Assert.Equal("action_required", (string?)run["conclusion"]);
        Assert.Equal("Needs 1 approval from group reviewers", (string?)run["output"]!["title"]);
        var summary = Text((string)run["output"]!["summary"]!);
        Assert.Contains($"**Reviewed findings**", summary);
        Assert.Contains($"**{id}**: RB3002 medium at src/Tool.cs:5, reviewed by @sam: the command comes from our own config", summary);
        Assert.Contains($"**{id} medium**: src/Tool.cs:5 (injection) OS process started: reviewed by @sam: the command comes from our own config", summary);
        Assert.Contains($"finding {id} (RB3002 OS process started, src/Tool.cs:5) reviewed by @sam for head ec26c3e", ReplyTo(e2e, LastCommentId(e2e, "sam")));
        Assert.DoesNotContain(run["annotations"]!.AsArray(), a => (string?)a!["path"] == "src/Tool.cs");
    }

    [Theory]
    [InlineData("author", "/reviewbot dismiss {0} I wrote it, it is fine", "@sam may not dismiss a finding: is the author of the pull request")]
    [InlineData("initiator", "/reviewbot dismiss {0} I asked for it", "@sam may not dismiss a finding: dispatched the agent that made the change")]
    [InlineData("carol", "/reviewbot dismiss {0} looks fine to me", "would lift Risky changes need security: 1 approval from group security, which @carol could not approve")]
    [InlineData("mallory", "/reviewbot dismiss {0} trust me", "@mallory may not dismiss a finding: only someone who could approve this change may (group reviewers; group security)")]
    [InlineData("sam", "/reviewbot dismiss {0}", "a dismissal needs a reason: /reviewbot dismiss <finding id> <reason>")]
    [InlineData("sam", "/reviewbot dismiss RB3002-000000 checked", "unknown finding id 'RB3002-000000': the findings of head ec26c3e are {0}")]
    public async Task A_dismissal_that_is_not_allowed_is_answered_and_changes_nothing(string who, string comment, string answer)
    {
        // "author": sam wrote the pull request; "initiator": Devin's did, and its body names sam as who asked for it.
        await using var e2e = await EndToEnd.StartAsync(github => Arrange(
            github, author: who == "author" ? "sam" : Devin, body: who == "initiator" ? "Requested by: sam" : "Runs the tool."));
        var (opened, id) = await OpenedAsync(e2e);
        var login = who is "author" or "initiator" ? "sam" : who;

        var record = await CommentAsync(e2e, login, string.Format(System.Globalization.CultureInfo.InvariantCulture, comment, id), Pushed.AddHours(1), 2);

        Assert.Empty(record.Decision!.Dismissals);
        Assert.Empty(record.Risk!.Dismissed);
        Assert.Equal(opened.Decision!.Approvals.Select(a => a.From), record.Decision.Approvals.Select(a => a.From));
        Assert.Contains("group security", record.Decision.Approvals.Select(a => a.From));
        var reply = ReplyTo(e2e, LastCommentId(e2e, login));
        Assert.Contains("refused: ", reply);
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, answer, id), reply);
        Assert.Contains("nothing changed", reply);
    }

    [Fact]
    public async Task The_next_push_ends_the_dismissal_and_the_finding_keeps_its_id()
    {
        await using var e2e = await EndToEnd.StartAsync(github => Arrange(github));
        var (_, id) = await OpenedAsync(e2e);
        var dismissed = await CommentAsync(e2e, "sam", $"/reviewbot dismiss {id} reviewed", Pushed.AddHours(1), 2);

        e2e.GitHub.Update(github =>
        {
            var pr = github.PullRequests[2];
            pr.HeadSha = NewHead;
            pr.AddCommit(NewHead, "Comment the tool", Devin, Devin);
            github.Blobs[$"{NewHead}:src/Tool.cs"] = "// Runs the configured tool.\n" + DismissRules.ToolAfter;
            github.Push(Branch, Head, NewHead, Devin, Pushed.AddHours(2));
        });
        var (evt, payload) = Payloads.Fixture("pull_request.synchronize.json");
        await e2e.Host.DeliverAsync(evt, payload, "push-2", EndToEnd.Secret);
        var pushed = (await e2e.WaitForAuditAsync(3))[2];

        Assert.Single(dismissed.Decision!.Dismissals);
        Assert.Equal(NewHead, pushed.HeadSha);
        Assert.Empty(pushed.Decision!.Dismissals);
        Assert.Empty(pushed.Decision.Commands);
        var finding = Assert.Single(pushed.Risk!.Findings, f => f.Id == id);
        Assert.Equal(6, finding.StartLine);
        Assert.Contains("group security", pushed.Decision.Approvals.Select(a => a.From));
        Assert.Single(e2e.GitHub.Comments, c => ((string?)c["body"])?.Contains("reviewbot:reply:", StringComparison.Ordinal) == true);
    }
}
