using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Snapshot;
using ReviewBot.Pipeline.Ports;

using ReviewBot.Pipeline.Rules;

namespace ReviewBot.GitLab.Tests;

/// <summary>
/// The real host on Kestrel receives a GitLab delivery, and the GitLab session it registers (options, HTTP client,
/// source, membership, enforcer) talks to the fake GitLab over real HTTP. The plan is hand-built here.
/// </summary>
public sealed class EndToEndTests : FakeGitLabTest
{
    private const string Secret = "e2e-webhook-secret";

    private Dictionary<string, string?> Settings => Server.HostSettings(Secret);

    [Fact]
    public async Task Webhook_to_session_to_status_rules_and_note()
    {
        await using var host = await GitLabHost.StartAsync(Settings);
        var body = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(Fixtures.GitLab("woodpecker.HookPullRequestUpdated.json"))
            .Replace("\"path_with_namespace\": \"anbraten/woodpecker\"", $"\"path_with_namespace\": \"{FakeGitLabServer.ProjectPath}\"", StringComparison.Ordinal));
        using var delivery = new HttpRequestMessage(HttpMethod.Post, "/api/gitlab") { Content = new ByteArrayContent(body) };
        delivery.Content.Headers.ContentType = new("application/json");
        delivery.Headers.Add("X-Gitlab-Event", "Merge Request Hook");
        delivery.Headers.Add("X-Gitlab-Token", Secret);
        delivery.Headers.Add("Idempotency-Key", "e2e-1");

        using var response = await host.Http.SendAsync(delivery);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var request = Assert.Single(host.Queue.Items) with { ProjectId = FakeGitLabServer.ProjectId, Number = 7 };

        var factory = host.App.Services.GetServices<IPlatformSessionFactory>().Single(f => f.Platform == Platform.GitLab);
        var session = await factory.CreateAsync(request);
        var snapshot = await session.Source.LoadAsync(request);
        var rules = (await RulesLocator.LocateAsync(snapshot, session.Rules)).RepositoryLayer;
        var seniors = await session.Membership.GetMembersAsync("acme/seniors");
        await session.Enforcer.MarkInProgressAsync(snapshot);
        var result = await session.Enforcer.ApplyAsync(snapshot, new EnforcementPlan
        {
            HeadSha = snapshot.HeadSha,
            Outcome = CheckOutcome.ActionRequired,
            Title = "Needs 1 approval from seniors",
            Summary = "Needs 1 approval from seniors.",
            Comment = "### ReviewBot\nNeeds 1 approval from seniors.",
            AddLabels = ["ai-assisted"],
            Approvals = [new ApprovalRequirementResult
            {
                Rule = "ai-assisted", From = "group seniors", Required = 1, Approved = 0,
                EligibleUsers = [.. seniors], EligibleTeams = ["acme/seniors"],
            }],
        });

        Assert.Equal("version: 1\nrules: []\n", rules!.Text);
        Assert.Equal(["bob"], seniors);
        Assert.Equal(["running", "canceled", "pending"], Server.StatusHistory);
        Assert.Equal("Needs 1 approval from seniors", Server.StatusesNamed("reviewbot")[^1]["description"]!.GetValue<string>());
        Assert.Equal("reviewbot: ai-assisted (group seniors)", Assert.Single(Server.ApprovalRules)["name"]!.GetValue<string>());
        Assert.Contains("Needs 1 approval from seniors.", Assert.Single(Server.Notes)["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.All(Server.Requests, r => Assert.Equal(FakeGitLabServer.Token, r.Token));
        Assert.Matches("^gitlab: [0-9]+ API requests$", result.Actions[^1]);
    }
}

/// <summary>
/// Webhook → the host's own in-process queue and worker → <see cref="ReviewBot.Core.Pipeline.ReviewEngine"/> →
/// GitLab enforcement, against the fake GitLab over real HTTP: the expected status, approval rule, note and label.
/// </summary>
public sealed class WorkerEndToEndTests : FakeGitLabTest
{
    private const string Secret = "e2e-webhook-secret";

    internal const string Rules = """
        version: 1
        groups:
          seniors: { teams: [acme/seniors] }
        rules:
          - name: changes into main need seniors
            if: { target_branch: main }
            require:
              approvals: [{ group: seniors, count: 2 }]
            labels: [needs-seniors]
        """;

    private Dictionary<string, string?> Settings => Server.HostSettings(Secret);

    private static Action<IServiceCollection> Analyzer
        => services => services.AddSingleton<ReviewBot.Core.Risk.IRiskAnalyzer, ReviewBot.Core.Risk.RoslynRiskAnalyzer>();

    private static Task<HttpStatusCode> DeliverAsync(GitLabHost host, string key) => host.DeliverMergeRequestHookAsync(Secret, key);

    private async Task<string> FinalStatusAsync()
    {
        for (var i = 0; i < 300; i++)
        {
            lock (Server)
            {
                if (Server.StatusesNamed("reviewbot") is [.., var last] && last["status"]!.GetValue<string>() is "pending" or "success" or "failed")
                {
                    return last["status"]!.GetValue<string>();
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("the worker posted no final status within 15 s");
    }

    [Fact]
    public async Task A_merge_request_needing_seniors_gets_pending_status_rule_note_and_label()
    {
        Server.Files[(FakeGitLabServer.BaseSha, ".gitlab/reviewbot.yml")] = Rules;
        await using var host = await GitLabHost.StartAsync(Settings, services: Analyzer, realWorker: true);

        Assert.Equal(HttpStatusCode.Accepted, await DeliverAsync(host, "w-1"));

        Assert.Equal("pending", await FinalStatusAsync());
        var status = Server.StatusesNamed("reviewbot")[^1];
        Assert.Contains("senior", status["description"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        var rule = Assert.Single(Server.ApprovalRules);
        Assert.Equal("reviewbot: changes into main need seniors (group seniors)", rule["name"]!.GetValue<string>());
        Assert.Equal(2, rule["approvals_required"]!.GetValue<int>());
        Assert.Equal([77L], rule["groups"]!.AsArray().Select(g => g!["id"]!.GetValue<long>()));
        var note = Assert.Single(Server.Notes)["body"]!.GetValue<string>();
        Assert.StartsWith(EnforcementPlanner.CommentMarker, note, StringComparison.Ordinal);
        Assert.Contains("changes into main need seniors", note, StringComparison.Ordinal);
        Assert.Contains("needs-seniors", Server.MergeRequest["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal(["running", "canceled", "pending"], Server.StatusHistory);
    }

    [Fact]
    public async Task A_gitlab_outage_during_evaluation_reports_failed_never_success()
    {
        Server.Files[(FakeGitLabServer.BaseSha, ".gitlab/reviewbot.yml")] = Rules;
        for (var i = 0; i < 2; i++)
        {
            Server.FailNext("/diffs", 503);
        }

        await using var host = await GitLabHost.StartAsync(Settings, services: Analyzer, realWorker: true);

        Assert.Equal(HttpStatusCode.Accepted, await DeliverAsync(host, "w-2"));

        Assert.Equal("failed", await FinalStatusAsync());
        var status = Server.StatusesNamed("reviewbot")[^1];
        Assert.StartsWith("ReviewBot could not evaluate: ", status["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("503", status["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(Server.StatusHistory, s => s == "success");
        Assert.Empty(Server.ApprovalRules);
    }
}
