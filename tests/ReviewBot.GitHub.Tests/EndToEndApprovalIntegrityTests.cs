using ReviewBot.Core.Decisions;
using ReviewBot.Core.Policy;
using ReviewBot.GitHub.Tests.Support;
using ReviewBot.Pipeline.Ports;
using ReviewBot.TestSupport;

namespace ReviewBot.GitHub.Tests;

/// <summary>
/// Approval integrity end to end (real host, fake GitHub over HTTP): bots never approve, the dispatcher stays excluded
/// whatever the body and assignees say, co-authors are matched through GitHub's accounts, an approval without a commit
/// stops counting after a push, the last pusher can be excluded, and a rebase keeps an approval only with the same diff.
/// </summary>
public sealed class EndToEndApprovalIntegrityTests
{
    private const string Head = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"; // the head the saved payloads name
    private const string NewHead = "9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a";
    private const string Branch = "devin/fix-readme";
    private const string Devin = "devin-ai-integration[bot]";

    private static readonly DateTimeOffset Morning = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    private static FakePullRequest Arrange(FakeGitHub github, string author = Devin, string? rules = null, string head = Head, string message = "Fix the README")
    {
        var pr = new FakePullRequest
        {
            Number = 2, Author = author, AuthorType = FakeUsers.TypeOf(author), HeadSha = head, BaseSha = EndToEnd.BaseSha,
            HeadRef = Branch, BaseRef = "master", Title = "Fix the README", Body = "Fixes the README.",
        };
        pr.AddFile("README.md").AddCommit(head, message, author, "Devin");
        github.PullRequests[2] = pr;
        github.Blobs[$"{EndToEnd.BaseSha}:.github/reviewbot.yml"] = rules ?? DefaultPolicy.Text;
        return pr;
    }


    private static ReviewerStanding StandingOf(AuditRecord record, string reviewer)
        => Assert.Single(record.Decision!.Approvals.SelectMany(a => a.Reviewers), r => r.Reviewer == reviewer);

    [Fact]
    public async Task A_bots_approval_does_not_satisfy_ai_authored_changes_need_a_human_approval()
    {
        await using var e2e = await EndToEnd.StartAsync(github => Arrange(github)
            .AddReview(10, Devin, "APPROVED", Head)
            .AddReview(11, "github-actions[bot]", "APPROVED", Head));

        var bots = await e2e.EvaluateOpenedAsync(1);
        e2e.GitHub.PullRequests[2].AddReview(12, "carol", "APPROVED", Head, "2026-11-26T12:00:00Z");
        var human = await e2e.EvaluateOpenedAsync(2);

        Assert.Equal(DecisionState.Pending, bots.Decision!.State);
        Assert.Equal(ReviewerVerdict.Bot, StandingOf(bots, Devin).Verdict);
        Assert.Equal(ReviewerVerdict.Bot, StandingOf(bots, "github-actions[bot]").Verdict);
        Assert.Contains("bots never count", StandingOf(bots, "github-actions[bot]").Reason);
        Assert.Equal(DecisionState.Pass, human.Decision!.State);
        Assert.Equal(ReviewerVerdict.Counted, StandingOf(human, "carol").Verdict);
    }

    [Fact]
    public async Task Editing_the_body_cannot_make_the_dispatchers_approval_count()
    {
        // Devin's commits carry no co-author: the body's "Requested by" is all there is, and GitHub keeps its edits.
        await using var e2e = await EndToEnd.StartAsync(github =>
        {
            var pr = Arrange(github);
            pr.Body = "Requested by: bob";
            pr.AddReview(10, "bob", "APPROVED", Head);
        });

        var before = await e2e.EvaluateOpenedAsync(1);
        e2e.GitHub.PullRequests[2].EditBody("Requested by: carol");
        var after = await e2e.EvaluateOpenedAsync(2);

        Assert.Equal(ReviewerVerdict.Initiator, StandingOf(before, "bob").Verdict);
        Assert.Equal(ReviewerVerdict.Initiator, StandingOf(after, "bob").Verdict);
        Assert.Contains("earlier version of the pull request body", StandingOf(after, "bob").Reason);
        Assert.Equal(DecisionState.Pending, after.Decision!.State);
        Assert.Equal("carol", after.Authorship!.Initiator);
    }

    [Fact]
    public async Task Unassigning_the_dispatcher_cannot_make_their_approval_count_the_copilot_assignment_is_a_platform_fact()
    {
        // bob assigned Copilot; the pull request now has no assignees and its body names someone else.
        await using var e2e = await EndToEnd.StartAsync(github =>
        {
            var pr = Arrange(github, author: "Copilot");
            pr.Body = "Requested by: carol";
            pr.Assign("bob", "Copilot", 1).Assign("Copilot", "dora", 2);
            pr.AddReview(10, "bob", "APPROVED", Head).AddReview(11, "dora", "APPROVED", Head);
        });

        var record = await e2e.EvaluateOpenedAsync(1);

        Assert.Equal("bob", record.Authorship!.Initiator);
        Assert.Equal("high", record.Authorship.InitiatorConfidence?.ToString().ToLowerInvariant());
        Assert.Equal(ReviewerVerdict.Initiator, StandingOf(record, "bob").Verdict);
        Assert.Contains("assigned Copilot", StandingOf(record, "bob").Reason);
        Assert.Equal(ReviewerVerdict.Initiator, StandingOf(record, "dora").Verdict);
        Assert.Equal(DecisionState.Pending, record.Decision!.State);
    }

    [Fact]
    public async Task A_co_author_under_another_email_does_not_count_once_github_matches_it_to_their_account()
    {
        await using var e2e = await EndToEnd.StartAsync(github =>
        {
            Arrange(github, message: "Fix the README\n\nCo-authored-by: B. Smith <bsmith@corp.example>")
                .AddReview(10, "bob", "APPROVED", Head);
            github.VerifiedEmails["bsmith@corp.example"] = ("bob", FakeUsers.IdOf("bob"));
        });

        var coAuthor = await e2e.EvaluateOpenedAsync(1);
        e2e.GitHub.PullRequests[2].AddReview(11, "carol", "APPROVED", Head, "2026-11-26T12:00:00Z");
        var other = await e2e.EvaluateOpenedAsync(2);

        Assert.Equal(ReviewerVerdict.CoAuthor, StandingOf(coAuthor, "bob").Verdict);
        Assert.Contains("B. Smith <bsmith@corp.example>", StandingOf(coAuthor, "bob").Reason);
        Assert.Contains("matched by the platform", StandingOf(coAuthor, "bob").Reason);
        Assert.Equal(DecisionState.Pending, coAuthor.Decision!.State);
        Assert.Equal(DecisionState.Pass, other.Decision!.State);
    }

    [Fact]
    public async Task An_approval_without_a_commit_stops_counting_after_a_push()
    {
        await using var e2e = await EndToEnd.StartAsync(github =>
        {
            Arrange(github, head: NewHead).AddReview(10, "carol", "APPROVED", commitId: null, "2026-11-26T11:00:00Z");
            github.Push(Branch, Head, NewHead, Devin, Morning.AddHours(3)); // 12:00, after carol's approval
        });

        var stale = await e2e.EvaluateOpenedAsync(1);
        e2e.GitHub.PullRequests[2].AddReview(11, "erin", "APPROVED", commitId: null, "2026-11-26T13:00:00Z");
        var fresh = await e2e.EvaluateOpenedAsync(2);

        Assert.Equal(ReviewerVerdict.Stale, StandingOf(stale, "carol").Verdict);
        Assert.Contains("counts for nothing once the head has moved", StandingOf(stale, "carol").Reason);
        Assert.Equal(DecisionState.Pending, stale.Decision!.State);
        Assert.Equal(ReviewerVerdict.Counted, StandingOf(fresh, "erin").Verdict);
        Assert.Equal(DecisionState.Pass, fresh.Decision!.State);
    }

    [Theory]
    [InlineData(true, ReviewerVerdict.LastPusher, DecisionState.Pending)]
    [InlineData(false, ReviewerVerdict.Counted, DecisionState.Pass)]
    public async Task Exclude_last_pusher_refuses_the_approval_of_whoever_pushed_the_head(bool exclude, ReviewerVerdict verdict, DecisionState state)
    {
        await using var e2e = await EndToEnd.StartAsync(github =>
        {
            Arrange(github, rules: ApprovalRules.NeedsHumanApproval($"exclude_last_pusher: {(exclude ? "true" : "false")}")).AddReview(10, "alice", "APPROVED", Head);
            github.Push(Branch, EndToEnd.BaseSha, Head, "alice", Morning);
        });

        var record = await e2e.EvaluateOpenedAsync(1);

        Assert.Equal(verdict, StandingOf(record, "alice").Verdict);
        Assert.Equal(state, record.Decision!.State);
        if (exclude)
        {
            Assert.Contains("pushed the latest commits (GitHub push activity)", StandingOf(record, "alice").Reason);
        }
    }

    [Theory]
    [InlineData("+Fixed the README.", ReviewerVerdict.Counted, DecisionState.Pass)]
    [InlineData("+Fixed the README, and more.", ReviewerVerdict.Stale, DecisionState.Pending)]
    public async Task A_rebase_with_the_same_diff_keeps_the_approval_and_a_changed_diff_drops_it(string newLine, ReviewerVerdict verdict, DecisionState state)
    {
        await using var e2e = await EndToEnd.StartAsync(github =>
        {
            Arrange(github, rules: ApprovalRules.NeedsHumanApproval("invalidate_on_push: when_diff_changes"), head: NewHead).AddReview(10, "alice", "APPROVED", Head);
            github.Push(Branch, Head, NewHead, Devin, Morning.AddHours(3));
            // The old head's diff against its merge base, and the rebased head's against the new one: the hunk moved.
            github.MergeBaseDiffs[Head] = [ReadmeDiff("@@ -1,2 +1,2 @@", "+Fixed the README.")];
            github.MergeBaseDiffs[NewHead] = [ReadmeDiff("@@ -7,2 +7,2 @@", newLine)];
        });

        var record = await e2e.EvaluateOpenedAsync(1);

        Assert.Equal(NewHead, record.HeadSha);
        Assert.Equal(verdict, StandingOf(record, "alice").Verdict);
        Assert.Equal(state, record.Decision!.State);
        Assert.Contains("when_diff_changes", StandingOf(record, "alice").Reason);
        Assert.Equal(2, e2e.GitHub.Requests.Count(r => r.Path.StartsWith("/repos/Codertocat/Hello-World/compare/master...", StringComparison.Ordinal)));
    }

    private static System.Text.Json.Nodes.JsonObject ReadmeDiff(string hunk, string added) => new()
    {
        ["filename"] = "README.md",
        ["status"] = "modified",
        ["additions"] = 1,
        ["deletions"] = 1,
        ["changes"] = 2,
        ["sha"] = "b10b" + added.Length,
        ["patch"] = $"{hunk}\n Hello World\n-Broken README.\n{added}",
    };
}
