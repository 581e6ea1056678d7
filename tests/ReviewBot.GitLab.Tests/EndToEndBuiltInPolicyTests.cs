using System.Text.Json.Nodes;
using ReviewBot.Core.Authorship;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Risk;

namespace ReviewBot.GitLab.Tests;

/// <summary>
/// GitLab enforcement that holds, end to end (real host and worker on loopback, webhook in, fake GitLab over HTTP): under
/// the built-in policy an AI-authored high-risk merge request goes pending → pending → success as two different people
/// approve, on Premium (ReviewBot's approval rules mirror the requirement) and on Free (approval rules refused: the status
/// and the note carry the gate and the note says so), with one sticky note and the labels. And a rules file requiring
/// the pipeline on a merge request without CI neither waits on nor is satisfied by ReviewBot's own status.
/// </summary>
public sealed class EndToEndBuiltInPolicyTests : FakeGitLabTest
{
    private const string Secret = "e2e-built-in-secret";
    private const string Controller = "src/Api/AccountsController.cs";

    private const string Guarded = """
        using Microsoft.AspNetCore.Authorization;
        using Microsoft.AspNetCore.Mvc;

        [Authorize]
        public class AccountsController : ControllerBase
        {
            public IActionResult Delete(int id) => Ok();
        }

        """;

    /// <summary>
    /// No rules file (the built-in policy applies); the head commit is Claude Code's own (its attribution address as the
    /// author) and removes the controller's [Authorize]; nobody has approved yet.
    /// </summary>
    private void Arrange()
    {
        Server.Files.Remove((FakeGitLabServer.BaseSha, ".gitlab/reviewbot.yml"));
        var head = Server.Commits[0];
        head["title"] = "Drop the authorization check";
        head["message"] = "Drop the authorization check\n";
        foreach (var role in new[] { "author", "committer" })
        {
            head[role + "_name"] = "Claude";
            head[role + "_email"] = "noreply@anthropic.com";
        }
        var unguarded = Guarded.Replace("[Authorize]\n", "", StringComparison.Ordinal);
        Server.Files[(FakeGitLabServer.BaseSha, Controller)] = Guarded;
        Server.Files[(FakeGitLabServer.HeadSha, Controller)] = unguarded;
        Server.Diffs.Clear();
        Server.Diffs.Add(new JsonObject
        {
            ["old_path"] = Controller, ["new_path"] = Controller, ["a_mode"] = "100644", ["b_mode"] = "100644",
            ["diff"] = "@@ -2,7 +2,6 @@\n using Microsoft.AspNetCore.Mvc;\n \n-[Authorize]\n public class AccountsController : ControllerBase\n {\n",
            ["new_file"] = false, ["renamed_file"] = false, ["deleted_file"] = false,
        });
        Server.ApprovedBy.Clear();
    }

    private string LastStatus()
    {
        lock (Server)
        {
            return Server.StatusesNamed("reviewbot")[^1]["status"]!.GetValue<string>();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_ai_authored_high_risk_merge_request_goes_pending_pending_success_as_two_people_approve(bool freeTier)
    {
        Arrange();
        Server.ApprovalRulesForbidden = freeTier;
        await using var host = await GitLabHost.StartAsync(Server.HostSettings(Secret), audit: new DeliveryRecorderDouble(), realWorker: true);

        var unapproved = await host.EvaluateAsync(Secret, 1);
        var first = LastStatus();
        Server.Approve("bob", 12, "2026-11-20T12:00:00.000Z");
        var once = await host.EvaluateAsync(Secret, 2);
        var second = LastStatus();
        Server.Approve("zed", 20, "2026-11-20T12:30:00.000Z");
        var twice = await host.EvaluateAsync(Secret, 3);
        var third = LastStatus();

        Assert.Equal(AuthorshipKind.AiAuthored, unapproved.Authorship!.Kind);
        Assert.True(unapproved.Risk!.Level >= RiskLevel.High, $"risk {unapproved.Risk.Level}");
        Assert.Equal(["pending", "pending", "success"], [first, second, third]);
        Assert.Equal([DecisionState.Pending, DecisionState.Pending, DecisionState.Pass], new[] { unapproved, once, twice }.Select(r => r.Decision!.State));
        Assert.DoesNotContain("failed", Server.StatusHistory);

        var required = unapproved.Decision!.Approvals.Max(a => a.Required);
        Assert.Equal(2, required);
        var note = Assert.Single(Server.Notes)["body"]!.GetValue<string>();
        Assert.StartsWith(EnforcementPlanner.CommentMarker, note, StringComparison.Ordinal);
        Assert.Contains("high-risk", Server.MergeRequest["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Contains("ai-authored", Server.MergeRequest["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
        if (freeTier)
        {
            Assert.Empty(Server.ApprovalRules);
            Assert.Contains("GitLab did not accept merge request approval rules here (403 Forbidden", note, StringComparison.Ordinal);
        }
        else
        {
            // Every requirement of the built-in policy names nobody: one "any approver" rule at the highest count.
            var rule = Assert.Single(Server.ApprovalRules);
            Assert.Equal(("reviewbot: any eligible approver", "any_approver", required), (rule["name"]!.GetValue<string>(), rule["rule_type"]!.GetValue<string>(), rule["approvals_required"]!.GetValue<int>()));
            Assert.DoesNotContain("> **Note:**", note, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_required_pipeline_on_a_merge_request_without_ci_waits_for_ci_not_for_reviewbot()
    {
        Server.Files[(FakeGitLabServer.BaseSha, ".gitlab/reviewbot.yml")] = """
            version: 1
            rules:
              - name: CI must pass
                if: { target_branch: main }
                require:
                  checks: [pipeline]
            """;
        Server.Pipelines.Clear();
        Server.Statuses.Clear();
        await using var host = await GitLabHost.StartAsync(Server.HostSettings(Secret), audit: new DeliveryRecorderDouble(), realWorker: true);

        var before = await host.EvaluateAsync(Secret, 1);
        var again = await host.EvaluateAsync(Secret, 2); // ReviewBot's own status and external pipeline now exist
        var waiting = LastStatus();
        Server.Update(s =>
        {
            s.Pipelines.Add(FakeGitLabServer.Obj($$"""{ "id": 9000, "sha": "{{FakeGitLabServer.HeadSha}}", "ref": "refs/merge-requests/7/head", "status": "success", "source": "merge_request_event" }"""));
            s.Statuses.Add(FakeGitLabServer.Obj($$"""{ "id": 9001, "sha": "{{FakeGitLabServer.HeadSha}}", "name": "test", "status": "success", "allow_failure": false, "pipeline_id": 9000 }"""));
        });
        var ci = await host.EvaluateAsync(Secret, 3);

        Assert.Contains(Server.Pipelines, p => p["source"]!.GetValue<string>() == "external");
        Assert.All([before, again], r => Assert.Equal(CheckRequirementState.Missing, Assert.Single(r.Decision!.Checks).State));
        Assert.Equal("pending", waiting);
        Assert.Equal(CheckRequirementState.Passed, Assert.Single(ci.Decision!.Checks).State);
        Assert.Equal("success", LastStatus());
    }
}
