using System.Net;
using System.Text.Json.Nodes;
using ReviewBot.Core.Decisions;
using ReviewBot.GitHub.Tests.Support;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.GitHub.Tests;

/// <summary>
/// Merge queues end to end (real host, fake GitHub over HTTP, merge_group payloads from @octokit/webhooks-examples):
/// a group's check passes only when every pull request in it passed for its queued head — a pending one keeps it in
/// progress until it passes; an unidentified commit fails it; a destroyed group is no longer followed.
/// </summary>
public sealed class EndToEndMergeQueueTests
{
    private const string HumanHead = "3333333333333333333333333333333333333333";

    /// <summary>The AI-authored #2 (needs a senior's approval: pending) and a person's #3 (no rule applies: passes).</summary>
    private static void Arrange(FakeGitHub github)
    {
        EndToEndEnforcementTests.Arrange(github);
        var human = new FakePullRequest
        {
            Number = 3, Author = "octocat", HeadSha = HumanHead, BaseSha = EndToEnd.BaseSha, HeadRef = "fix-typo", BaseRef = "master",
            Title = "Fix a typo", Body = "A typo in the guide.",
        };
        human.AddFile("docs/guide.md").AddCommit(HumanHead, "Fix a typo in the guide", "octocat", "The Octocat");
        github.PullRequests[3] = human;
    }

    /// <summary>GitHub's merge_group example, pointed at the fake's repository and the given group.</summary>
    private static byte[] MergeGroupPayload(string action, string headRef, string headSha, string baseSha = EndToEnd.BaseSha, string? reason = null)
    {
        var example = Payloads.Examples().First(e => e.Event == "merge_group");
        var payload = JsonNode.Parse(example.Body)!.AsObject();
        payload["action"] = action;
        var group = payload["merge_group"]!.AsObject();
        group["head_ref"] = headRef;
        group["head_sha"] = headSha;
        group["base_sha"] = baseSha;
        group["base_ref"] = "refs/heads/master";
        group["head_commit"]!["id"] = headSha;
        payload["repository"]!["full_name"] = EndToEnd.Repo;
        payload["repository"]!["name"] = EndToEnd.Repo.Split('/')[1];
        if (reason is not null)
        {
            payload["reason"] = reason;
        }

        return System.Text.Encoding.UTF8.GetBytes(payload.ToJsonString());
    }

    private static JsonObject GroupRun(FakeGitHub github, string headSha)
        => github.CheckRuns.Where(r => (string?)r["head_sha"] == headSha && (string?)r["name"] == "ReviewBot").MaxBy(r => (long)r["id"]!)
           ?? throw new InvalidOperationException("no ReviewBot check run on the group's head " + headSha);

    private static AuditRecord Group(IReadOnlyList<AuditRecord> records) => records.Last(r => r.MergeGroup is not null);

    [Fact]
    public async Task A_merge_group_with_a_pending_pull_request_does_not_pass_and_passes_once_all_have()
    {
        await using var e2e = await EndToEnd.StartAsync(Arrange);
        var (headRef, headSha) = e2e.GitHub.EnqueueMergeGroup("master", EndToEnd.BaseSha, 3, 2);

        var answer = await e2e.Host.DeliverAsync("merge_group", MergeGroupPayload("checks_requested", headRef, headSha), "group-1", EndToEnd.Secret);
        var first = await e2e.WaitForAuditAsync(3);

        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        Assert.Equal(DecisionState.Pass, first.Single(r => r.Number == 3).Decision!.State);
        Assert.Equal(DecisionState.Pending, first.Single(r => r.Number == 2).Decision!.State);
        var pending = Group(first);
        Assert.Equal((0L, headSha), (pending.Number, pending.HeadSha));
        Assert.Equal(MergeGroupState.Pending, pending.MergeGroup!.State);
        Assert.Equal([3L, 2L], pending.MergeGroup.Members.Select(m => m.Number));
        var run = GroupRun(e2e.GitHub, headSha);
        Assert.Equal("in_progress", (string?)run["status"]);
        Assert.Null(run["conclusion"]);
        Assert.Equal("Waiting for #2", (string?)run["output"]!["title"]);

        // bob (a senior) approves #2; its new decision is recorded and the group that holds it is decided again.
        e2e.GitHub.Update(g => g.PullRequests[2].AddReview(77, "bob", "APPROVED", EndToEndEnforcementTests.Head));
        var (reviewEvent, reviewBody) = Payloads.Fixture("pull_request_review.submitted.json");
        await e2e.Host.DeliverAsync(reviewEvent, reviewBody, "review-1", EndToEnd.Secret);
        var second = await e2e.WaitForAuditAsync(5);

        Assert.Equal(DecisionState.Pass, second.Last(r => r.Number == 2).Decision!.State);
        var passed = Group(second);
        Assert.Equal(MergeGroupState.Pass, passed.MergeGroup!.State);
        Assert.Equal("merge_group.follow", passed.Event);
        run = GroupRun(e2e.GitHub, headSha);
        Assert.Equal("success", (string?)run["conclusion"]);
        Assert.Equal(["in_progress", "completed:success"], run["history"]!.AsArray().Select(h => (string?)h));
        Assert.Single(e2e.GitHub.CheckRuns, r => (string?)r["head_sha"] == headSha);
    }

    [Fact]
    public async Task A_group_commit_that_belongs_to_no_queued_pull_request_fails_the_group_closed()
    {
        const string stray = "5555555555555555555555555555555555555555";
        await using var e2e = await EndToEnd.StartAsync(github =>
        {
            Arrange(github);
            github.BranchCommits[stray] = (EndToEnd.BaseSha, "A commit no pull request brought");
        });
        var (headRef, headSha) = e2e.GitHub.EnqueueMergeGroup("master", stray, 3);

        await e2e.Host.DeliverAsync("merge_group", MergeGroupPayload("checks_requested", headRef, headSha), "group-stray", EndToEnd.Secret);
        var records = await e2e.WaitForAuditAsync(2);

        var group = Group(records);
        Assert.Equal(MergeGroupState.Fail, group.MergeGroup!.State);
        Assert.Equal([3L], group.MergeGroup.Members.Select(m => m.Number));
        Assert.Equal(["commit 555555555555 belongs to no merge queue branch of master (#3 has 1 commit(s), its part of the group 2)"], group.MergeGroup.Unknown);
        var run = GroupRun(e2e.GitHub, headSha);
        Assert.Equal("failure", (string?)run["conclusion"]);
        Assert.Contains("Unidentified: commit 555555555555", (string?)run["output"]!["summary"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_group_that_cannot_be_read_fails_closed_after_its_retries()
    {
        await using var e2e = await EndToEnd.StartAsync(github =>
        {
            Arrange(github);
            for (var i = 0; i < 20; i++)
            {
                github.Failures.Enqueue(("GET /repos/Codertocat/Hello-World/git/matching-refs", 502, []));
            }
        });
        var (headRef, headSha) = e2e.GitHub.EnqueueMergeGroup("master", EndToEnd.BaseSha, 3);

        await e2e.Host.DeliverAsync("merge_group", MergeGroupPayload("checks_requested", headRef, headSha), "group-down", EndToEnd.Secret);
        var records = await e2e.WaitForAuditAsync(2);

        // The group's failure, and the work item given up (as for a pull request: poison).
        var group = Assert.Single(records, r => r.MergeGroup is not null);
        Assert.Equal(MergeGroupState.Fail, group.MergeGroup!.State);
        Assert.StartsWith("PlatformTransientException: GitHub answered 502", group.Error, StringComparison.Ordinal);
        Assert.Single(records, r => r.Id == "poison.group-down");
        var run = GroupRun(e2e.GitHub, headSha);
        Assert.Equal("failure", (string?)run["conclusion"]);
        Assert.Contains("ReviewBot could not evaluate this merge group", (string?)run["output"]!["summary"], StringComparison.Ordinal);
        Assert.DoesNotContain(e2e.GitHub.CheckRuns, r => (string?)r["conclusion"] == "success");
    }

    [Fact]
    public async Task A_destroyed_group_is_no_longer_decided_again()
    {
        await using var e2e = await EndToEnd.StartAsync(Arrange);
        var (headRef, headSha) = e2e.GitHub.EnqueueMergeGroup("master", EndToEnd.BaseSha, 2);
        await e2e.Host.DeliverAsync("merge_group", MergeGroupPayload("checks_requested", headRef, headSha), "group-2", EndToEnd.Secret);
        await e2e.WaitForAuditAsync(2);

        await e2e.Host.DeliverAsync("merge_group", MergeGroupPayload("destroyed", headRef, headSha, reason: "dequeued"), "group-2-end", EndToEnd.Secret);
        var ended = Group(await e2e.WaitForAuditAsync(3));
        e2e.GitHub.Update(g => g.PullRequests[2].AddReview(77, "bob", "APPROVED", EndToEndEnforcementTests.Head));
        var (reviewEvent, reviewBody) = Payloads.Fixture("pull_request_review.submitted.json");
        await e2e.Host.DeliverAsync(reviewEvent, reviewBody, "review-2", EndToEnd.Secret);
        await WaitForLogAsync(e2e, "github:Codertocat/Hello-World#2: decided again the 0 followed merge group(s) holding it");

        Assert.Equal("dequeued", ended.MergeGroup!.Group.Ended);
        Assert.Equal(MergeGroupState.Pending, ended.MergeGroup.State);
        var records = await e2e.Audit.ListAsync(new AuditQuery { Repository = EndToEnd.Repo, Limit = 100 });
        Assert.Equal(2, records.Count(r => r.MergeGroup is not null));
        Assert.Equal("in_progress", (string?)GroupRun(e2e.GitHub, headSha)["status"]);
    }

    private static async Task WaitForLogAsync(EndToEnd e2e, string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!e2e.Host.Logs.Lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no log line '{text}'. Logs:\n{e2e.Host.Logs.All}");
            }

            await Task.Delay(50);
        }
    }
}
