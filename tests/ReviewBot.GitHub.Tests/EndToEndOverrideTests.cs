using ReviewBot.Core.Decisions;
using ReviewBot.GitHub.Tests.Support;
using ReviewBot.TestSupport;
using static ReviewBot.GitHub.Tests.Support.CommandThread;

namespace ReviewBot.GitHub.Tests;

/// <summary>
/// Break-glass end to end (real host, fake GitHub over HTTP): <c>/reviewbot override &lt;reason&gt;</c> in a pull
/// request comment, delivered as <c>issue_comment</c> and read back from GitHub's API, passes the check with the override
/// at the top when an allowed person gives it; it is refused (answered, nothing changes) from anyone else, without a
/// reason, from the author, and for a rule in <c>never</c>; it ends with the next push; it is audited and announced.
/// </summary>
public sealed class EndToEndOverrideTests
{
    private const string Head = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
    private const string NewHead = "9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a";
    private const string Branch = "devin/fix-readme";
    private const string Devin = "devin-ai-integration[bot]";
    private const string AnnouncePath = "/org-hooks/overrides";

    private static readonly DateTimeOffset Pushed = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    private static FakePullRequest Arrange(FakeGitHub github, string author = Devin, string file = "README.md", string extra = "")
    {
        var pr = new FakePullRequest
        {
            Number = 2, Author = author, AuthorType = FakeUsers.TypeOf(author), HeadSha = Head, BaseSha = EndToEnd.BaseSha,
            HeadRef = Branch, BaseRef = "master", Title = "Fix the README", Body = "Fixes the README.",
        };
        pr.AddFile(file).AddCommit(Head, "Fix the README", author, author);
        github.PullRequests[2] = pr;
        github.Blobs[$"{EndToEnd.BaseSha}:.github/reviewbot.yml"] = OverrideRules.Text(extra: extra);
        github.Push(Branch, EndToEnd.BaseSha, Head, author, Pushed);
        return pr;
    }

    private static Task<EndToEnd> StartAsync(Action<FakeGitHub> arrange)
        => EndToEnd.StartAsync(arrange, new Dictionary<string, string?> { ["ReviewBot:Overrides:AnnounceUrl"] = EndToEnd.FakeAddress + AnnouncePath });

    [Fact]
    public async Task An_override_from_a_release_manager_passes_the_check_with_the_override_at_the_top_and_is_audited_answered_and_announced()
    {
        await using var e2e = await StartAsync(github => Arrange(github));

        var record = await CommentAsync(e2e, "rita", "/reviewbot override production is down, hotfix approved on the incident call", Pushed.AddHours(1), 1);

        var lift = record.Decision!.Override;
        Assert.NotNull(lift);
        Assert.Equal(DecisionState.Pass, record.Decision.State);
        Assert.Equal("rita", lift.By);
        Assert.Equal("production is down, hotfix approved on the incident call", lift.Reason);
        Assert.Equal(Head, lift.HeadSha);
        Assert.Equal([$"{OverrideRules.Rule}: 1 approval from group reviewers"], lift.Lifted);
        var run = LatestRun(e2e, Head);
        Assert.Equal("success", (string?)run["conclusion"]);
        Assert.StartsWith("Overridden by rita: production is down", (string?)run["output"]!["title"]);
        Assert.StartsWith("### ", (string?)run["output"]!["summary"]);
        Assert.Contains("**Override**", ((string)run["output"]!["summary"]!).Split('\n')[2]);
        Assert.Contains("override by @rita recorded for head ec26c3e", ReplyTo(e2e, LastCommentId(e2e, "rita")));
        var announced = Assert.Single(e2e.GitHub.Announcements);
        Assert.Equal("reviewbot.override", (string?)announced["event"]);
        Assert.Equal("rita", (string?)announced["announcement"]!["override"]!["by"]);
        Assert.Equal("Codertocat/Hello-World", (string?)announced["announcement"]!["repository"]);
        Assert.DoesNotContain("ghs_", announced.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("override by rita announced", record.Actions);
    }

    [Theory]
    [InlineData("mallory", "/reviewbot override trust me", "@mallory may not override: only group release-managers may")]
    [InlineData("rita", "/reviewbot override", "an override needs a reason")]
    public async Task An_override_from_someone_not_allowed_or_without_a_reason_is_answered_and_changes_nothing(string login, string comment, string answer)
    {
        await using var e2e = await StartAsync(github => Arrange(github));

        var record = await CommentAsync(e2e, login, comment, Pushed.AddHours(1), 1);

        Assert.Null(record.Decision!.Override);
        Assert.Equal(DecisionState.Pending, record.Decision.State);
        Assert.Equal("action_required", (string?)LatestRun(e2e, Head)["conclusion"]);
        var reply = ReplyTo(e2e, LastCommentId(e2e, login));
        Assert.Contains("refused: ", reply);
        Assert.Contains(answer, reply);
        Assert.Empty(e2e.GitHub.Announcements);
    }

    [Fact]
    public async Task The_author_of_the_pull_request_may_not_override_it_even_as_a_release_manager()
    {
        await using var e2e = await StartAsync(github => Arrange(github, author: "alice"));

        var record = await CommentAsync(e2e, "alice", "/reviewbot override I know what I am doing", Pushed.AddHours(1), 1);

        Assert.Null(record.Decision!.Override);
        var answer = Assert.Single(record.Decision.Commands);
        Assert.False(answer.Accepted);
        Assert.Contains("is the author of the pull request (author_can_override: false)", answer.Text);
    }

    [Fact]
    public async Task A_rule_listed_in_never_is_not_lifted_by_an_override()
    {
        await using var e2e = await StartAsync(github => Arrange(github, file: ".github/workflows/ci.yml"));

        var record = await CommentAsync(e2e, "rita", "/reviewbot override ship it", Pushed.AddHours(1), 1);

        Assert.NotNull(record.Decision!.Override);
        Assert.Equal(DecisionState.Fail, record.Decision.State);
        Assert.Equal([$"{OverrideRules.Never}: blocked: agents may not change CI workflows"], record.Decision.Override!.Kept);
        Assert.Equal("failure", (string?)LatestRun(e2e, Head)["conclusion"]);
    }

    [Fact]
    public async Task The_next_push_ends_the_override_and_the_old_command_is_not_answered_again()
    {
        await using var e2e = await StartAsync(github => Arrange(github));
        var overridden = await CommentAsync(e2e, "rita", "/reviewbot override hotfix", Pushed.AddHours(1), 1);

        e2e.GitHub.Update(github =>
        {
            var pr = github.PullRequests[2];
            pr.HeadSha = NewHead;
            pr.AddCommit(NewHead, "More", Devin, Devin);
            github.Push(Branch, Head, NewHead, Devin, Pushed.AddHours(2));
        });
        var (evt, payload) = Payloads.Fixture("pull_request.synchronize.json");
        await e2e.Host.DeliverAsync(evt, payload, "push-2", EndToEnd.Secret);
        var pushed = (await e2e.WaitForAuditAsync(2))[1];

        Assert.Equal(DecisionState.Pass, overridden.Decision!.State);
        Assert.Equal(NewHead, pushed.HeadSha);
        Assert.Null(pushed.Decision!.Override);
        Assert.Empty(pushed.Decision.Commands);
        Assert.Equal(DecisionState.Pending, pushed.Decision.State);
        Assert.Equal("action_required", (string?)LatestRun(e2e, NewHead)["conclusion"]);
        Assert.Single(e2e.GitHub.Comments, c => ((string?)c["body"])?.Contains("reviewbot:reply:", StringComparison.Ordinal) == true);
        Assert.Single(e2e.GitHub.Announcements);
    }
}
