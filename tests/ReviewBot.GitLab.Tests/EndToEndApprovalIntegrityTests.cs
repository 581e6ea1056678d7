using System.Net;
using System.Text.Json.Nodes;
using ReviewBot.Core.Decisions;
using ReviewBot.Pipeline.Ports;
using ReviewBot.TestSupport;

namespace ReviewBot.GitLab.Tests;

/// <summary>
/// Approval integrity end to end on GitLab (real host, worker and engine; fake GitLab over HTTP): bot users never
/// approve, the dispatcher known from GitLab's own notes stays excluded whatever the description says, co-authors
/// are matched through GitLab users, an approval without a time stops counting after a push, the last pusher can be
/// excluded, and a rebase keeps an approval only when the diff version is unchanged.
/// </summary>
public sealed class EndToEndApprovalIntegrityTests : FakeGitLabTest
{
    private const string Secret = "e2e-integrity-secret";
    private const string Agent = "project_42_bot_9f1c";

    /// <summary>The agent (a project access token user the rules list) opened the merge request; no approvals yet.</summary>
    private void Arrange(string? defaults = null)
    {
        Server.Files[(FakeGitLabServer.BaseSha, ".gitlab/reviewbot.yml")] = ApprovalRules.NeedsHumanApproval(defaults ?? "", Agent);
        Server.MergeRequest["author"] = new JsonObject { ["id"] = 950, ["username"] = Agent, ["name"] = "Acme Agent", ["bot"] = true };
        Server.MergeRequest["assignees"] = new JsonArray();
        Server.ApprovedBy.Clear();
    }

    private static ReviewerStanding StandingOf(AuditRecord record, string reviewer)
        => Assert.Single(record.Decision!.Approvals.SelectMany(a => a.Reviewers), r => r.Reviewer == reviewer);

    [Fact]
    public async Task Approvals_of_bot_users_do_not_satisfy_ai_authored_changes_need_a_human_approval()
    {
        Arrange();
        Server.Approve("project_42_bot_5e3d", 951, "2026-11-20T12:00:00.000Z");
        Server.Approve("service_account_group_7_a1b2", 952, "2026-11-20T12:01:00.000Z");
        var audit = new DeliveryRecorderDouble();

        var (botsStatus, bots) = await EvaluateInNewHostAsync(Secret, audit, 1);
        Server.Approve("zed", 20, "2026-11-20T12:02:00.000Z");
        var (humanStatus, human) = await EvaluateInNewHostAsync(Secret, audit, 2);

        Assert.Equal(ReviewBot.Core.Authorship.AuthorshipKind.AiAuthored, bots.Authorship!.Kind);
        Assert.Equal(ReviewerVerdict.Bot, StandingOf(bots, "project_42_bot_5e3d").Verdict);
        Assert.Equal(ReviewerVerdict.Bot, StandingOf(bots, "service_account_group_7_a1b2").Verdict);
        Assert.Equal("pending", botsStatus);
        Assert.Equal(ReviewerVerdict.Counted, StandingOf(human, "zed").Verdict);
        Assert.Equal("success", humanStatus);
    }

    [Fact]
    public async Task The_dispatcher_from_gitlabs_notes_stays_excluded_whatever_the_description_and_assignees_say()
    {
        Arrange();
        Server.MergeRequest["description"] = "Requested by: carol";
        Server.AddSystemNote("bob", $"assigned to @{Agent}", new DateTimeOffset(2026, 11, 19, 9, 0, 0, TimeSpan.Zero));
        Server.Approve("bob", 12, "2026-11-20T12:00:00.000Z");
        var audit = new DeliveryRecorderDouble();

        var (status, record) = await EvaluateInNewHostAsync(Secret, audit, 1);

        Assert.Equal("bob", record.Authorship!.Initiator);
        Assert.Equal(ReviewerVerdict.Initiator, StandingOf(record, "bob").Verdict);
        Assert.Contains($"assigned {Agent} (GitLab note", StandingOf(record, "bob").Reason);
        Assert.Contains(record.Authorship.Initiators, i => i.Identity == "carol");
        Assert.Equal("pending", status);
    }

    [Fact]
    public async Task A_co_author_under_another_email_does_not_count_once_gitlab_matches_it_to_their_user()
    {
        Arrange();
        Server.Commits[0]["message"] = "Retry on 503\n\nCo-authored-by: B. Smith <bsmith@corp.example>\n";
        Server.PublicEmails["bsmith@corp.example"] = "bob";
        Server.Approve("bob", 12, "2026-11-20T12:00:00.000Z");
        var audit = new DeliveryRecorderDouble();

        var (status, record) = await EvaluateInNewHostAsync(Secret, audit, 1);
        Server.Approve("zed", 20, "2026-11-20T12:01:00.000Z");
        var (laterStatus, _) = await EvaluateInNewHostAsync(Secret, audit, 2);

        Assert.Equal(ReviewerVerdict.CoAuthor, StandingOf(record, "bob").Verdict);
        Assert.Contains("matched by the platform", StandingOf(record, "bob").Reason);
        Assert.Equal("pending", status);
        Assert.Equal("success", laterStatus);
        Assert.Contains(Server.Requests, r => r.Path.EndsWith("/users", StringComparison.Ordinal) && r.Query.Contains("bsmith%40corp.example", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_approval_without_a_time_stops_counting_after_a_push()
    {
        Arrange();
        Server.AddSystemNote(Agent, $"added 1 commit\n\n<ul><li>{FakeGitLabServer.HeadSha[..8]} - Retry on 503</li></ul>", new DateTimeOffset(2026, 11, 20, 10, 5, 0, TimeSpan.Zero));
        Server.Approve("zed", 20, at: null);
        var audit = new DeliveryRecorderDouble();

        var (status, record) = await EvaluateInNewHostAsync(Secret, audit, 1);

        Assert.Equal(ReviewerVerdict.Stale, StandingOf(record, "zed").Verdict);
        Assert.Contains("counts for nothing once the head has moved", StandingOf(record, "zed").Reason);
        Assert.Equal("pending", status);
    }

    [Theory]
    [InlineData(true, ReviewerVerdict.LastPusher, "pending")]
    [InlineData(false, ReviewerVerdict.Counted, "success")]
    public async Task Exclude_last_pusher_refuses_the_approval_of_whoever_pushed_the_head(bool exclude, ReviewerVerdict verdict, string expected)
    {
        Arrange($"exclude_last_pusher: {(exclude ? "true" : "false")}");
        Server.AddSystemNote("zed", $"added 1 commit\n\n<ul><li>{FakeGitLabServer.HeadSha[..8]} - Retry on 503</li></ul>", new DateTimeOffset(2026, 11, 20, 10, 5, 0, TimeSpan.Zero));
        Server.Approve("zed", 20, "2026-11-20T12:00:00.000Z");
        var audit = new DeliveryRecorderDouble();

        var (status, record) = await EvaluateInNewHostAsync(Secret, audit, 1);

        Assert.Equal(verdict, StandingOf(record, "zed").Verdict);
        Assert.Equal(expected, status);
        if (exclude)
        {
            Assert.Contains("pushed the latest commits (GitLab note", StandingOf(record, "zed").Reason);
        }
    }

    [Theory]
    [InlineData("+class B { }", ReviewerVerdict.Counted, "success")]
    [InlineData("+class C { }", ReviewerVerdict.Stale, "pending")]
    public async Task A_rebase_with_the_same_diff_keeps_the_approval_and_a_changed_diff_drops_it(string added, ReviewerVerdict verdict, string expected)
    {
        Arrange("invalidate_on_push: when_diff_changes");
        Server.Approve("zed", 20, "2026-11-19T12:00:00.000Z"); // on version 1 (the first head)
        Server.VersionDiffs[1] = [Diff("@@ -1,3 +1,4 @@", "+class B { }")];
        Server.VersionDiffs[2] = [Diff("@@ -12,3 +12,4 @@", added)]; // rebased: the hunk moved
        var audit = new DeliveryRecorderDouble();

        var (status, record) = await EvaluateInNewHostAsync(Secret, audit, 1);

        Assert.Equal(verdict, StandingOf(record, "zed").Verdict);
        Assert.Contains("when_diff_changes", StandingOf(record, "zed").Reason);
        Assert.Equal(expected, status);
        Assert.Equal(2, Server.Requests.Count(r => r.Path.Contains("/merge_requests/7/versions/", StringComparison.Ordinal)));
    }

    private static JsonObject Diff(string hunk, string added) => new()
    {
        ["old_path"] = "src/Payments/Client.cs",
        ["new_path"] = "src/Payments/Client.cs",
        ["a_mode"] = "100644",
        ["b_mode"] = "100644",
        ["diff"] = $"{hunk}\n using System;\n-class A {{}}\n+class A {{ }}\n{added}\n",
        ["new_file"] = false,
        ["renamed_file"] = false,
        ["deleted_file"] = false,
    };
}
