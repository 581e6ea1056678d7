using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Ports;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.GitLab.Tests;

/// <summary>
/// The real host on Kestrel receives a GitLab delivery, and the GitLab session it registers (options, HTTP client,
/// source, membership, enforcer) talks to the fake GitLab over real HTTP. The plan is hand-built here.
/// </summary>
public sealed class EndToEndTests : FakeGitLabTest
{
    private const string Secret = "e2e-webhook-secret";

    private Dictionary<string, string?> Settings => new()
    {
        ["ReviewBot:GitLab:BaseUrl"] = Server.BaseUri.ToString(),
        ["ReviewBot:GitLab:Token"] = FakeGitLabServer.Token,
        ["ReviewBot:GitLab:WebhookSecret"] = Secret,
        ["ReviewBot:GitLab:StatusName"] = "reviewbot",
        ["ReviewBot:GitLab:RetryBaseDelay"] = "00:00:00.010",
    };

    [Fact]
    public async Task Webhook_to_session_to_status_rules_and_note()
    {
        await using var host = await GitLabHost.StartAsync(Settings);
        var body = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(Fixtures.GitLab("woodpecker.HookPullRequestUpdated.json"))
            .Replace("\"path_with_namespace\": \"anbraten/woodpecker\"", $"\"path_with_namespace\": \"{FakeGitLabServer.ProjectPath}\"", StringComparison.Ordinal));
        using var delivery = new HttpRequestMessage(HttpMethod.Post, "/api/gitlab") { Content = new ByteArrayContent(body) };
        delivery.Headers.Add("X-Gitlab-Event", "Merge Request Hook");
        delivery.Headers.Add("X-Gitlab-Token", Secret);
        delivery.Headers.Add("Idempotency-Key", "e2e-1");

        using var response = await host.Http.SendAsync(delivery);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var request = Assert.Single(host.Queue.Items) with { ProjectId = FakeGitLabServer.ProjectId, Number = 7 };

        var factory = host.App.Services.GetServices<IPlatformSessionFactory>().Single(f => f.Platform == Platform.GitLab);
        var session = await factory.CreateAsync(request);
        var snapshot = await session.Source.LoadAsync(request);
        var rules = await session.Source.LoadRulesAsync(snapshot, Side.Base);
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
