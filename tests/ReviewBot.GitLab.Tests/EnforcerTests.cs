using System.Text.Json.Nodes;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Snapshot;
using ReviewBot.GitLab.Api;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.GitLab.Tests;

/// <summary>The enforcer against the fake GitLab, with hand-built plans.</summary>
public sealed class EnforcerTests : FakeGitLabTest
{
    /// <summary>Options whose base URL is the public one the status and note link to (the client is pointed at the fake).</summary>
    private GitLabOptions LinkOptions => new() { BaseUrl = "https://gitlab.example.com", Token = FakeGitLabServer.Token, RetryBaseDelay = TimeSpan.FromMilliseconds(5) };

    private GitLabClient NewClient() => new(Http, LinkOptions with { BaseUrl = Server.BaseUri.ToString() }, TimeProvider.System);

    /// <summary>Loads the snapshot and applies the plan in one session, like the worker does.</summary>
    private async Task<EnforcementResult> ApplyAsync(EnforcementPlan plan)
    {
        var client = NewClient();
        var snapshot = await new GitLabPullRequestSource(client, LinkOptions).LoadAsync(Request);
        return await new GitLabEnforcer(client, LinkOptions, Request).ApplyAsync(snapshot, plan);
    }

    private static ApprovalRequirementResult Seniors(int required = 1) => new()
    {
        Rule = "ai-authored", From = "group seniors", Required = required, Approved = 0,
        EligibleUsers = ["zed", "bob"], EligibleTeams = ["acme/seniors", "github:acme/seniors"],
    };

    private static EnforcementPlan Plan(CheckOutcome outcome = CheckOutcome.ActionRequired, params ApprovalRequirementResult[] approvals) => new()
    {
        HeadSha = FakeGitLabServer.HeadSha,
        Outcome = outcome,
        Title = "Needs 1 approval from seniors",
        Summary = "## ReviewBot\nNeeds 1 approval from seniors.",
        Comment = "## ReviewBot\nNeeds 1 approval from seniors.\n/approve\n  /merge now",
        AddLabels = ["ai-authored", "backend"],
        Approvals = approvals.Length == 0 ? [Seniors()] : approvals,
    };

    [Fact]
    public async Task First_run_creates_rule_note_labels_and_status()
    {
        var result = await ApplyAsync(Plan());

        var rule = Assert.Single(Server.ApprovalRules);
        Assert.Equal("reviewbot: ai-authored (group seniors)", rule["name"]!.GetValue<string>());
        Assert.Equal(1, rule["approvals_required"]!.GetValue<int>());
        Assert.Equal(["bob", "zed"], rule["users"]!.AsArray().Select(u => u!["username"]!.GetValue<string>()));
        Assert.Equal([77L], rule["groups"]!.AsArray().Select(g => g!["id"]!.GetValue<long>()));

        var note = Assert.Single(Server.Notes);
        var body = note["body"]!.GetValue<string>();
        Assert.StartsWith(EnforcementPlanner.CommentMarker + "\n## ReviewBot\n", body, StringComparison.Ordinal);
        Assert.Contains("\n\\/approve\n  \\/merge now\n", body, StringComparison.Ordinal); // quick actions neutralised

        Assert.Equal(["backend", "ai-authored"], Server.MergeRequest["labels"]!.AsArray().Select(l => l!.GetValue<string>()));

        var status = Assert.Single(Server.StatusesNamed("reviewbot"));
        Assert.Equal("pending", status["status"]!.GetValue<string>());
        Assert.Equal("Needs 1 approval from seniors", status["description"]!.GetValue<string>());
        Assert.Equal("feature/retry", status["ref"]!.GetValue<string>());
        Assert.Equal($"https://gitlab.example.com/acme/backend/api/-/merge_requests/7#note_{note["id"]}", status["target_url"]!.GetValue<string>());

        Assert.Contains("approval rule created: reviewbot: ai-authored (group seniors) (1 required)", result.Actions);
        Assert.Contains("labels added: ai-authored", result.Actions);
        Assert.Matches("^gitlab: [0-9]+ API requests$", result.Actions[^1]);
    }

    [Fact]
    public async Task A_second_identical_run_changes_nothing()
    {
        await ApplyAsync(Plan());
        var writesBefore = WriteCount();

        var result = await ApplyAsync(Plan());

        Assert.Equal(writesBefore, WriteCount());
        Assert.Contains("approval rule unchanged: reviewbot: ai-authored (group seniors)", result.Actions);
        Assert.Contains(result.Actions, a => a.StartsWith("note unchanged: ", StringComparison.Ordinal));
        Assert.Contains("labels: already present", result.Actions);
        Assert.Contains("status reviewbot: unchanged (pending)", result.Actions);
        Assert.Single(Server.Notes);
        Assert.Single(Server.StatusesNamed("reviewbot"));
    }

    [Fact]
    public async Task Changed_decisions_update_and_delete_only_reviewbots_rules()
    {
        Server.ApprovalRules.Add(FakeGitLabServer.Obj("""{ "id": 1, "name": "Security team", "rule_type": "regular", "approvals_required": 1, "users": [], "groups": [] }"""));
        var extra = Seniors() with { Rule = "ci-change", From = "users zed" , EligibleTeams = [] };
        await ApplyAsync(Plan(CheckOutcome.ActionRequired, Seniors(), extra));
        Assert.Equal(3, Server.ApprovalRules.Count);

        var result = await ApplyAsync(Plan(CheckOutcome.ActionRequired, Seniors(required: 2)));

        Assert.Equal(["Security team", "reviewbot: ai-authored (group seniors)"], Server.ApprovalRules.Select(r => r["name"]!.GetValue<string>()));
        Assert.Equal(2, Server.ApprovalRules[1]["approvals_required"]!.GetValue<int>());
        Assert.Contains("approval rule updated: reviewbot: ai-authored (group seniors) (2 required)", result.Actions);
        Assert.Contains("approval rule deleted: reviewbot: ci-change (users zed)", result.Actions);
    }

    [Fact]
    public async Task The_sticky_note_is_updated_in_place_and_the_status_follows_the_outcome()
    {
        await ApplyAsync(Plan());

        var passed = Plan(CheckOutcome.Success) with { Title = "All requirements met", Comment = "## ReviewBot\nAll requirements met." };
        await ApplyAsync(passed);

        var note = Assert.Single(Server.Notes);
        Assert.Equal(EnforcementPlanner.CommentMarker + "\n## ReviewBot\nAll requirements met.\n", note["body"]!.GetValue<string>());
        Assert.Equal(["pending", "success"], Server.StatusHistory);
        Assert.Equal("All requirements met", Assert.Single(Server.StatusesNamed("reviewbot"))["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_note_with_the_marker_by_someone_else_is_not_taken_over()
    {
        Server.Notes.Add(FakeGitLabServer.Obj($$"""{ "id": 5, "body": "{{EnforcementPlanner.CommentMarker}} fake", "system": false, "author": { "id": 12, "username": "bob" } }"""));

        await ApplyAsync(Plan());

        Assert.Equal(2, Server.Notes.Count);
        Assert.Equal(EnforcementPlanner.CommentMarker + " fake", Server.Notes[0]["body"]!.GetValue<string>());
    }

    [Fact]
    public async Task Failed_outcomes_post_failed_with_descriptions_cut_to_255()
    {
        var plan = Plan(CheckOutcome.Failure) with { Title = "Blocked: " + new string('x', 400) };

        await ApplyAsync(plan);

        var status = Assert.Single(Server.StatusesNamed("reviewbot"));
        Assert.Equal("failed", status["status"]!.GetValue<string>());
        Assert.Equal(255, status["description"]!.GetValue<string>().Length);
    }

    [Fact]
    public async Task Without_approval_rules_api_the_status_and_note_carry_the_gate_and_say_so()
    {
        Server.ApprovalRulesForbidden = true;

        var result = await ApplyAsync(Plan());

        Assert.Empty(Server.ApprovalRules);
        Assert.Contains("approval rules: unavailable (403); status and note only", result.Actions);
        var body = Assert.Single(Server.Notes)["body"]!.GetValue<string>();
        Assert.Contains("GitLab did not accept merge request approval rules here (403 Forbidden", body, StringComparison.Ordinal);
        Assert.Contains("enforced only through the `reviewbot` commit status and this note", body, StringComparison.Ordinal);
        Assert.Equal("pending", Assert.Single(Server.StatusesNamed("reviewbot"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Fallback_note_is_written_even_when_comments_are_off()
    {
        Server.ApprovalRulesForbidden = true;

        await ApplyAsync(Plan() with { Comment = null });

        Assert.Contains("Needs 1 approval from seniors.", Assert.Single(Server.Notes)["body"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_status_post_throws_rather_than_pretending()
    {
        for (var i = 0; i < 4; i++)
        {
            Server.FailNext("/statuses/", 500);
        }

        await Assert.ThrowsAsync<PlatformTransientException>(() => ApplyAsync(Plan(CheckOutcome.Success)));
        Assert.Empty(Server.StatusesNamed("reviewbot"));
    }

    [Fact]
    public async Task In_progress_then_error_never_reports_success()
    {
        var client = NewClient();
        var snapshot = await new GitLabPullRequestSource(client, LinkOptions).LoadAsync(Request);
        var enforcer = new GitLabEnforcer(client, LinkOptions, Request);

        await enforcer.MarkInProgressAsync(snapshot);
        await enforcer.MarkInProgressAsync(snapshot); // a status exists: nothing to post
        await enforcer.ReportErrorAsync(snapshot, "GitLab GET /api/v4/projects/42/merge_requests/7/diffs: 500");

        Assert.Equal(["running", "failed"], Server.StatusHistory);
        var status = Assert.Single(Server.StatusesNamed("reviewbot"));
        Assert.StartsWith("ReviewBot could not evaluate: GitLab GET", status["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_name_and_target_url_are_configurable()
    {
        var options = LinkOptions with { StatusName = "policy/reviewbot", TargetUrl = "https://bot.example.com/mr/{project}/{iid}?sha={sha}" };
        var client = NewClient();
        var snapshot = await new GitLabPullRequestSource(client, options).LoadAsync(Request);

        await new GitLabEnforcer(client, options, Request).ApplyAsync(snapshot, Plan());

        var status = Assert.Single(Server.StatusesNamed("policy/reviewbot"));
        Assert.Equal($"https://bot.example.com/mr/acme%2Fbackend%2Fapi/7?sha={FakeGitLabServer.HeadSha}", status["target_url"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_details_link_of_the_plan_is_the_status_target_url_over_the_configured_one()
    {
        var options = LinkOptions with { TargetUrl = "https://bot.example.com/mr/{project}/{iid}" };
        var client = NewClient();
        var snapshot = await new GitLabPullRequestSource(client, options).LoadAsync(Request);
        const string link = "https://reviewbot.example.com/reviews/gitlab/acme/backend/api/7?expires=1800000000&sig=abc";

        await new GitLabEnforcer(client, options, Request).ApplyAsync(snapshot, Plan() with { DetailsUrl = link });

        Assert.Equal(link, Assert.Single(Server.StatusesNamed("reviewbot"))["target_url"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_details_link_too_long_for_a_status_falls_back_to_the_merge_request_rather_than_being_cut()
    {
        var client = NewClient();
        var snapshot = await new GitLabPullRequestSource(client, LinkOptions).LoadAsync(Request);

        await new GitLabEnforcer(client, LinkOptions, Request).ApplyAsync(snapshot, Plan() with { DetailsUrl = "https://reviewbot.example.com/" + new string('x', 300) });

        Assert.StartsWith("https://gitlab.example.com/acme/backend/api/-/merge_requests/7", Assert.Single(Server.StatusesNamed("reviewbot"))["target_url"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_pending_result_replaces_an_active_status_so_its_description_is_current()
    {
        var client = NewClient();
        var snapshot = await new GitLabPullRequestSource(client, LinkOptions).LoadAsync(Request);
        var enforcer = new GitLabEnforcer(client, LinkOptions, Request);
        await enforcer.ApplyAsync(snapshot, Plan() with { Title = "Needs 2 approvals" });

        await enforcer.MarkInProgressAsync(snapshot); // a verdict exists: it stays until the new one
        await enforcer.ApplyAsync(snapshot, Plan());

        Assert.Equal(["pending", "canceled", "pending"], Server.StatusHistory);
        var statuses = Server.StatusesNamed("reviewbot");
        Assert.Equal(("pending", "Needs 1 approval from seniors"), (statuses[^1]["status"]!.GetValue<string>(), statuses[^1]["description"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Reviewers_are_added_to_those_already_requested()
    {
        var plan = Plan() with { RequestUsers = ["zed", "carol", "alice", "nobody-here"], RequestTeams = ["acme/seniors"] };

        var result = await ApplyAsync(plan);

        Assert.Equal(["carol", "zed"], Server.MergeRequest["reviewers"]!.AsArray().Select(r => r!["username"]!.GetValue<string>()));
        Assert.Contains("reviewers requested: zed", result.Actions);
        Assert.Contains("reviewer nobody-here: no such GitLab user", result.Actions);
        Assert.Contains("reviewer groups: not requested (GitLab requests users; approval rules name the groups)", result.Actions);

        var again = await ApplyAsync(plan with { RequestUsers = ["zed", "carol"] });
        Assert.Contains("reviewers: already requested", again.Actions);
    }

    [Fact]
    public async Task Re_evaluating_an_unchanged_merge_request_posts_nothing_so_hooks_come_to_rest()
    {
        var client = NewClient();
        var snapshot = await new GitLabPullRequestSource(client, LinkOptions).LoadAsync(Request);
        var enforcer = new GitLabEnforcer(client, LinkOptions, Request);
        await enforcer.MarkInProgressAsync(snapshot);
        await enforcer.ApplyAsync(snapshot, Plan(CheckOutcome.Success) with { Title = "All requirements met" });
        var writes = WriteCount();

        snapshot = await new GitLabPullRequestSource(client, LinkOptions).LoadAsync(Request);
        await enforcer.MarkInProgressAsync(snapshot);
        await enforcer.ApplyAsync(snapshot, Plan(CheckOutcome.Success) with { Title = "All requirements met" });

        Assert.Equal(writes, WriteCount());
        Assert.Equal(["running", "success"], Server.StatusHistory);
    }

    private static ApprovalRequirementResult Anyone(string rule, int required) => new()
    {
        Rule = rule, From = "group reviewers (any reviewer)", Required = required, Approved = 0,
    };

    [Fact]
    public async Task Requirements_that_name_nobody_become_one_any_approver_rule_at_the_highest_count()
    {
        var result = await ApplyAsync(Plan(CheckOutcome.ActionRequired, Anyone("AI-authored changes need a human approval", 1), Anyone("high-risk AI changes need two approvals", 2), Seniors()));

        Assert.Equal(
            [("reviewbot: ai-authored (group seniors)", "regular", 1), ("reviewbot: any eligible approver", "any_approver", 2)],
            Server.ApprovalRules.Select(r => (r["name"]!.GetValue<string>(), r["rule_type"]!.GetValue<string>(), r["approvals_required"]!.GetValue<int>())));
        Assert.Contains(result.Actions, a => a.StartsWith("approval rule reviewbot: any eligible approver: stands for 2 requirements that name nobody", StringComparison.Ordinal));
        Assert.DoesNotContain("> **Note:**", Assert.Single(Server.Notes)["body"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_any_approver_rule_is_updated_in_place_across_re_evaluations()
    {
        await ApplyAsync(Plan(CheckOutcome.ActionRequired, Anyone("AI-authored changes need a human approval", 1)));
        var id = Assert.Single(Server.ApprovalRules)["id"]!.GetValue<long>();
        var writes = WriteCount();

        var same = await ApplyAsync(Plan(CheckOutcome.ActionRequired, Anyone("AI-authored changes need a human approval", 1)));
        Assert.Equal(writes, WriteCount());
        Assert.Contains("approval rule unchanged: reviewbot: any eligible approver", same.Actions);

        var raised = await ApplyAsync(Plan(CheckOutcome.ActionRequired, Anyone("AI-authored changes need a human approval", 1), Anyone("high-risk AI changes need two approvals", 2)));
        var rule = Assert.Single(Server.ApprovalRules);
        Assert.Equal((id, 2), (rule["id"]!.GetValue<long>(), rule["approvals_required"]!.GetValue<int>()));
        Assert.Contains("approval rule updated: reviewbot: any eligible approver (2 required)", raised.Actions);
        Assert.Empty(Server.RequestsTo("DELETE", "/approval_rules/"));
    }

    [Fact]
    public async Task An_any_approver_rule_left_by_an_older_version_is_replaced_not_duplicated()
    {
        Server.ApprovalRules.Add(FakeGitLabServer.Obj("""{ "id": 5, "name": "reviewbot: AI-authored changes need a human approval (group reviewers (any reviewer))", "rule_type": "any_approver", "approvals_required": 1, "users": [], "groups": [] }"""));

        await ApplyAsync(Plan(CheckOutcome.ActionRequired, Anyone("AI-authored changes need a human approval", 1), Anyone("high-risk AI changes need two approvals", 2)));

        var rule = Assert.Single(Server.ApprovalRules);
        Assert.Equal(("reviewbot: any eligible approver", 2), (rule["name"]!.GetValue<string>(), rule["approvals_required"]!.GetValue<int>()));
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(3, false)]
    public async Task The_projects_own_any_approver_rule_is_kept_and_the_note_says_when_it_asks_for_less(int theirs, bool shortfall)
    {
        Server.ApprovalRules.Add(FakeGitLabServer.Obj($$"""{ "id": 5, "name": "All eligible users", "rule_type": "any_approver", "approvals_required": {{theirs}}, "users": [], "groups": [] }"""));

        var result = await ApplyAsync(Plan(CheckOutcome.ActionRequired, Anyone("high-risk AI changes need two approvals", 2)));

        var rule = Assert.Single(Server.ApprovalRules);
        Assert.Equal(("All eligible users", theirs), (rule["name"]!.GetValue<string>(), rule["approvals_required"]!.GetValue<int>()));
        Assert.Contains(result.Actions, a => a.StartsWith("approval rule reviewbot: any eligible approver: left out", StringComparison.Ordinal));
        var body = Assert.Single(Server.Notes)["body"]!.GetValue<string>();
        Assert.Equal(shortfall, body.Contains("GitLab allows one \"any approver\" rule per merge request and this one's, \"All eligible users\", asks for 1 approval(s), so the 2 approvals below are enforced only through the `reviewbot` commit status and this note.", StringComparison.Ordinal));
        Assert.Equal("pending", Server.StatusesNamed("reviewbot")[^1]["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(400)]
    [InlineData(409)]
    [InlineData(422)]
    public async Task A_refused_rule_write_falls_back_to_note_labels_and_status_and_says_so(int code)
    {
        Server.FailNext("/approval_rules", code, method: "POST");

        var result = await ApplyAsync(Plan());

        Assert.Contains(result.Actions, a => a.StartsWith($"approval rules: refused ({code} ", StringComparison.Ordinal));
        var body = Assert.Single(Server.Notes)["body"]!.GetValue<string>();
        Assert.Contains($"> **Note:** GitLab refused an approval rule write ({code} ", body, StringComparison.Ordinal);
        Assert.Contains("enforced only through the `reviewbot` commit status and this note", body, StringComparison.Ordinal);
        Assert.Contains("ai-authored", Server.MergeRequest["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal("pending", Server.StatusesNamed("reviewbot")[^1]["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_the_approval_rules_endpoints_community_edition_falls_back_the_same_way()
    {
        Server.ApprovalRulesAbsent = true;

        var result = await ApplyAsync(Plan());

        Assert.Contains("approval rules: unavailable (404); status and note only", result.Actions);
        Assert.Contains("GitLab did not accept merge request approval rules here (404 NotFound", Assert.Single(Server.Notes)["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("pending", Server.StatusesNamed("reviewbot")[^1]["status"]!.GetValue<string>());
    }

    private int WriteCount() => Server.Requests.Count(r => r.Method is "POST" or "PUT" or "DELETE");
}
