using System.Net;
using System.Text.Json.Nodes;
using ReviewBot.Core.Decisions;
using ReviewBot.GitHub.Tests.Support;

namespace ReviewBot.GitHub.Tests;

/// <summary>
/// Real host + real engine + local fake GitHub over HTTP, driven by the saved real payloads: an AI-authored pull
/// request gets the expected check run, review requests, label and sticky comment; an approval turns it green;
/// duplicates and replays change nothing; a late delivery for an old head never touches that head.
/// </summary>
public sealed class EndToEndEnforcementTests
{
    internal const string Head = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";

    internal const string Rules = """
        version: 1
        groups:
          seniors: { teams: [Codertocat/seniors], users: [alice] }
        rules:
          - name: AI changes need a senior
            if: { authorship: [ai-authored, ai-assisted] }
            require:
              approvals: [{ group: seniors, count: 1 }]
            labels: [ai-authored]
        """;

    internal static void Arrange(FakeGitHub github, string rules = Rules)
    {
        var pr = new FakePullRequest
        {
            Number = 2,
            Author = "copilot-swe-agent[bot]",
            AuthorType = "Bot",
            HeadSha = Head,
            BaseSha = EndToEnd.BaseSha,
            HeadRef = "copilot/fix-readme",
            BaseRef = "master",
            Title = "Fix the README",
            Body = "Copilot fixed the README as asked.",
        };
        pr.AddFile("README.md").AddCommit(Head, "Fix the README\n\nCo-authored-by: Codertocat <codertocat@example.com>", "copilot-swe-agent[bot]", "Copilot");
        github.PullRequests[2] = pr;
        github.Teams["Codertocat/seniors"] = ["bob"];
        github.Blobs[$"{EndToEnd.BaseSha}:.github/reviewbot.yml"] = rules;
    }

    private static JsonObject Run(FakeGitHub github, string sha = Head)
        => Assert.Single(github.CheckRuns, r => (string?)r["head_sha"] == sha && (string?)r["name"] == "ReviewBot");

    [Fact]
    public async Task An_ai_authored_pull_request_gets_a_pending_check_review_requests_label_and_one_comment_then_passes_on_approval()
    {
        await using var e2e = await EndToEnd.StartAsync(github => Arrange(github));
        var (evt, body) = Payloads.Fixture("pull_request.opened.json");

        Assert.Equal(HttpStatusCode.Accepted, (await e2e.Host.DeliverAsync(evt, body, "open-1", EndToEnd.Secret)).StatusCode);
        var first = Assert.Single(await e2e.WaitForAuditAsync(1));

        Assert.Null(first.Error);
        Assert.Equal(DecisionState.Pending, first.Decision!.State);
        var run = Run(e2e.GitHub);
        Assert.Equal("action_required", (string?)run["conclusion"]);
        Assert.Equal(["in_progress", "completed:action_required"], run["history"]!.AsArray().Select(h => (string?)h));
        Assert.Equal(first.Decision.Title, (string?)run["output"]!["title"]);
        Assert.Contains("reevaluate", run["actions"]!.ToJsonString());
        var pr = e2e.GitHub.PullRequests[2];
        Assert.Equal(["alice"], pr.RequestedReviewers);
        Assert.Equal(["seniors"], pr.RequestedTeams);
        Assert.Equal(["ai-authored"], pr.Labels);
        var comment = Assert.Single(e2e.GitHub.Comments);
        Assert.StartsWith("<!-- reviewbot:summary -->", (string?)comment["body"], StringComparison.Ordinal);
        Assert.Contains(first.Actions, a => a.StartsWith("github api:", StringComparison.Ordinal));

        // bob (a member of the seniors team) approves the head; GitHub sends pull_request_review.submitted.
        pr.AddReview(77, "bob", "APPROVED", Head);
        var (reviewEvent, reviewBody) = Payloads.Fixture("pull_request_review.submitted.json");
        await e2e.Host.DeliverAsync(reviewEvent, reviewBody, "review-1", EndToEnd.Secret);
        var second = (await e2e.WaitForAuditAsync(2))[1];

        Assert.Equal(DecisionState.Pass, second.Decision!.State);
        run = Run(e2e.GitHub);
        Assert.Equal("success", (string?)run["conclusion"]);
        Assert.Equal(["alice"], pr.RequestedReviewers);
        Assert.Equal(["seniors"], pr.RequestedTeams);
        Assert.Equal(["ai-authored"], pr.Labels);
        comment = Assert.Single(e2e.GitHub.Comments);
        Assert.Contains(second.Decision.Title, (string?)comment["body"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicate_deliveries_are_processed_once_and_replays_change_nothing()
    {
        await using var e2e = await EndToEnd.StartAsync(github => Arrange(github));
        var (evt, body) = Payloads.Fixture("pull_request.opened.json");
        await e2e.Host.DeliverAsync(evt, body, "dup-1", EndToEnd.Secret);
        await e2e.WaitForAuditAsync(1);
        var writes = e2e.GitHub.Writes.Where(w => !w.Path.Contains("/check-runs", StringComparison.Ordinal)).ToList();

        var duplicate = await e2e.Host.DeliverAsync(evt, body, "dup-1", EndToEnd.Secret);
        var (syncEvent, syncBody) = Payloads.Fixture("pull_request.synchronize.json");
        await e2e.Host.DeliverAsync(syncEvent, syncBody, "replay-2", EndToEnd.Secret);
        var audit = await e2e.WaitForAuditAsync(2);

        Assert.Equal(HttpStatusCode.OK, duplicate.StatusCode);
        Assert.Equal(2, audit.Count);
        Assert.Equal(writes, e2e.GitHub.Writes.Where(w => !w.Path.Contains("/check-runs", StringComparison.Ordinal)).ToList());
        var run = Run(e2e.GitHub);
        Assert.Equal("action_required", (string?)run["conclusion"]);
        Assert.Single(e2e.GitHub.CheckRuns);
        Assert.Single(e2e.GitHub.Comments);
        Assert.Equal(["alice"], e2e.GitHub.PullRequests[2].RequestedReviewers);
    }

    [Fact]
    public async Task A_late_delivery_for_an_old_head_evaluates_the_current_head_only()
    {
        const string newHead = "abcdefabcdefabcdefabcdefabcdefabcdefabcd";
        await using var e2e = await EndToEnd.StartAsync(github =>
        {
            Arrange(github);
            github.PullRequests[2].HeadSha = newHead;
        });
        // The opened payload names the old head (ec26c3e…); the pull request has moved on meanwhile.
        var (evt, body) = Payloads.Fixture("pull_request.opened.json");

        await e2e.Host.DeliverAsync(evt, body, "late-1", EndToEnd.Secret);
        var record = Assert.Single(await e2e.WaitForAuditAsync(1));

        Assert.Equal(newHead, record.HeadSha);
        Assert.Equal("action_required", (string?)Run(e2e.GitHub, newHead)["conclusion"]);
        Assert.DoesNotContain(e2e.GitHub.CheckRuns, r => (string?)r["head_sha"] == Head);
    }

    [Fact]
    public async Task Invalid_rules_fail_the_check_with_positioned_errors()
    {
        await using var e2e = await EndToEnd.StartAsync(github => Arrange(github, "version: 1\nrules:\n  - name: x\n    iff: {}\n"));
        var (evt, body) = Payloads.Fixture("pull_request.opened.json");

        await e2e.Host.DeliverAsync(evt, body, "bad-rules", EndToEnd.Secret);
        var record = Assert.Single(await e2e.WaitForAuditAsync(1));

        Assert.Equal(DecisionState.Fail, record.Decision!.State);
        var run = Run(e2e.GitHub);
        Assert.Equal("failure", (string?)run["conclusion"]);
        Assert.Contains(".github/reviewbot.yml:4:", (string?)run["output"]!["summary"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_repository_without_rules_with_the_built_in_default_switched_off_gets_a_neutral_check_never_a_failing_one()
    {
        await using var e2e = await EndToEnd.StartAsync(
            github =>
            {
                Arrange(github);
                github.Blobs.Clear();
            },
            new Dictionary<string, string?> { ["ReviewBot:GitHub:UseBuiltInDefault"] = "false" });
        var (evt, body) = Payloads.Fixture("pull_request.opened.json");

        await e2e.Host.DeliverAsync(evt, body, "no-rules", EndToEnd.Secret);
        await e2e.WaitForAuditAsync(1);

        Assert.Equal("neutral", (string?)Run(e2e.GitHub)["conclusion"]);
        Assert.Empty(e2e.GitHub.Comments);
        Assert.Empty(e2e.GitHub.PullRequests[2].Labels);
    }

    [Fact]
    public async Task A_repository_without_rules_is_gated_by_the_built_in_default_as_on_GitLab()
    {
        await using var e2e = await EndToEnd.StartAsync(github =>
        {
            Arrange(github);
            github.Blobs.Clear();
        });
        var (evt, body) = Payloads.Fixture("pull_request.opened.json");

        await e2e.Host.DeliverAsync(evt, body, "no-rules-default", EndToEnd.Secret);
        var record = Assert.Single(await e2e.WaitForAuditAsync(1));

        Assert.StartsWith(ReviewBot.Core.Policy.DefaultPolicy.Path, record.RulesRevision, StringComparison.Ordinal);
        Assert.Equal(ReviewBot.Core.Policy.DefaultPolicy.Path, record.Decision!.RulesPath);
    }

    [Fact]
    public async Task A_status_event_reevaluates_the_open_pull_requests_of_its_commit()
    {
        await using var e2e = await EndToEnd.StartAsync(github =>
        {
            Arrange(github);
            github.PullRequests[2].HeadSha = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
        });
        var (evt, body) = Payloads.Fixture("status.with-installation.json");

        var response = await e2e.Host.DeliverAsync(evt, body, "status-1", EndToEnd.Secret);
        var record = Assert.Single(await e2e.WaitForAuditAsync(1));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal((2L, "6113728f27ae82c7b1a177c8d03f9e96e0adf246"), (record.Number, record.HeadSha));
        Assert.Contains(e2e.GitHub.Requests, r => r.Path.StartsWith("/repos/Codertocat/Hello-World/commits/6113728f27ae82c7b1a177c8d03f9e96e0adf246/pulls", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Risky_lines_of_the_change_are_annotated_on_the_check_run_from_batched_contents()
    {
        await using var e2e = await EndToEnd.StartAsync(github =>
        {
            Arrange(github);
            github.PullRequests[2].AddFile("src/Tool.cs");
            github.Blobs[$"{EndToEnd.BaseSha}:src/Tool.cs"] = "class Tool\n{\n    void Run(string command)\n    {\n    }\n}\n";
            github.Blobs[$"{Head}:src/Tool.cs"] = "class Tool\n{\n    void Run(string command)\n    {\n        System.Diagnostics.Process.Start(command);\n    }\n}\n";
        });
        var (evt, body) = Payloads.Fixture("pull_request.opened.json");

        await e2e.Host.DeliverAsync(evt, body, "risk-1", EndToEnd.Secret);
        var record = Assert.Single(await e2e.WaitForAuditAsync(1));

        var finding = Assert.Single(record.Risk!.Findings, f => f.Path == "src/Tool.cs");
        var run = Run(e2e.GitHub);
        var annotation = Assert.Single(run["annotations"]!.AsArray(), a => (string?)a!["path"] == "src/Tool.cs")!;
        Assert.Equal(finding.StartLine, (int)annotation["start_line"]!);
        Assert.Contains(finding.RuleId, (string?)annotation["title"], StringComparison.Ordinal);
        Assert.Equal(run["annotations"]!.AsArray().Count, (int)run["output"]!["annotations_count"]!);
        Assert.Single(e2e.GitHub.Requests, r => r.Path == "/graphql" && r.Body.Contains("f0: object", StringComparison.Ordinal));

        // Re-evaluating the same head does not append the annotations a second time.
        var count = run["annotations"]!.AsArray().Count;
        var (syncEvent, syncBody) = Payloads.Fixture("pull_request.synchronize.json");
        await e2e.Host.DeliverAsync(syncEvent, syncBody, "risk-2", EndToEnd.Secret);
        await e2e.WaitForAuditAsync(2);
        Assert.Equal(count, Run(e2e.GitHub)["annotations"]!.AsArray().Count);
    }

    [Fact]
    public async Task Token_mode_reports_a_commit_status_instead_of_a_check_run()
    {
        await using var e2e = await EndToEnd.StartAsync(
            github => Arrange(github),
            new Dictionary<string, string?>
            {
                ["ReviewBot:GitHub:AppId"] = "",
                ["ReviewBot:GitHub:PrivateKey"] = "",
                ["ReviewBot:GitHub:Token"] = "github_pat_token_mode_value",
            });
        var (evt, body) = Payloads.Fixture("pull_request.opened.json");

        await e2e.Host.DeliverAsync(evt, body, "token-1", EndToEnd.Secret);
        await e2e.WaitForAuditAsync(1);

        Assert.Empty(e2e.GitHub.CheckRuns);
        Assert.Equal(0, e2e.GitHub.TokensIssued);
        Assert.Equal(["pending", "pending"], e2e.GitHub.Statuses.Select(s => (string?)s["state"]));
        Assert.All(e2e.GitHub.Statuses, s => Assert.Equal(("ReviewBot", Head), ((string?)s["context"], (string?)s["sha"])));
        Assert.Equal("Evaluating…", (string?)e2e.GitHub.Statuses[0]["description"]);
        Assert.All(e2e.GitHub.Requests, r => Assert.Equal(
            r.Path == "/graphql" ? "Bearer github_pat_token_mode_value" : "token github_pat_token_mode_value", r.Authorization, ignoreCase: true));
        Assert.DoesNotContain("github_pat_token_mode_value", e2e.Host.Logs.All);
    }

    [Fact]
    public async Task Installing_the_app_evaluates_the_open_pull_requests_of_the_listed_repositories()
    {
        await using var e2e = await EndToEnd.StartAsync(github =>
        {
            Arrange(github);
            github.PullRequests[3] = new FakePullRequest { Number = 3, Author = "octocat", HeadSha = "3333333333333333333333333333333333333333", BaseSha = EndToEnd.BaseSha, State = "closed" };
        });
        var (evt, body) = Payloads.Fixture("installation.created.json");

        var response = await e2e.Host.DeliverAsync(evt, body, "install-1", EndToEnd.Secret);
        var record = Assert.Single(await e2e.WaitForAuditAsync(1));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal((2L, "installation.created"), (record.Number, record.Event));
        Assert.Equal("action_required", (string?)Run(e2e.GitHub)["conclusion"]);
        Assert.Contains(e2e.GitHub.Requests, r => r.Path.StartsWith("/app/installations/957387/access_tokens", StringComparison.Ordinal));
    }
}
