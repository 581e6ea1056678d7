using System.Net;
using ReviewBot.GitLab.Api;

namespace ReviewBot.GitLab.Tests;

/// <summary>
/// The fake GitLab refuses what GitLab refuses (its commit-status state machine, the single "any approver" rule, unknown
/// projects, merge requests and commits), and places a commit status the way GitLab does (an external pipeline when the
/// ref has none), so that a product relying on the fake's leniency fails here first.
/// </summary>
public sealed class FakeGitLabRefusalTests : FakeGitLabTest
{
    private const string Project = "42";

    private GitLabClient Client() => new(Http, new GitLabOptions
    {
        BaseUrl = Server.BaseUri.ToString(), Token = FakeGitLabServer.Token, MaxRetries = 0, RetryBaseDelay = TimeSpan.FromMilliseconds(5),
    }, TimeProvider.System);

    private static GlCommitStatusWrite Status(string state) => new() { State = state, Name = "reviewbot", Ref = "feature/retry", Description = state };

    [Theory]
    [InlineData("running", "running", "Cannot transition status via :run from :running")]
    [InlineData("pending", "pending", "Cannot transition status via :enqueue from :pending")]
    [InlineData("running", "pending", "Cannot transition status via :enqueue from :running")]
    [InlineData("running", "skipped", "Cannot transition status via :skip from :running")]
    public async Task A_transition_the_state_machine_lacks_is_a_400_that_changes_nothing(string first, string second, string message)
    {
        var client = Client();
        await client.PostCommitStatusAsync(Project, FakeGitLabServer.HeadSha, Status(first));

        var ex = await Assert.ThrowsAsync<GitLabApiException>(() => client.PostCommitStatusAsync(Project, FakeGitLabServer.HeadSha, Status(second)));

        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.StartsWith(message, ex.Detail, StringComparison.Ordinal);
        var status = Assert.Single(Server.StatusesNamed("reviewbot"));
        Assert.Equal((first, first), (status["status"]!.GetValue<string>(), status["description"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("pending", "running")]
    [InlineData("running", "success")]
    [InlineData("pending", "failed")]
    [InlineData("running", "canceled")]
    [InlineData("pending", "skipped")]
    public async Task Allowed_transitions_move_the_same_status(string first, string second)
    {
        var client = Client();
        var created = await client.PostCommitStatusAsync(Project, FakeGitLabServer.HeadSha, Status(first));

        var moved = await client.PostCommitStatusAsync(Project, FakeGitLabServer.HeadSha, Status(second));

        Assert.Equal((created.Id, second), (moved.Id, moved.Status));
    }

    [Fact]
    public async Task A_finished_status_is_followed_by_a_new_one()
    {
        var client = Client();
        var first = await client.PostCommitStatusAsync(Project, FakeGitLabServer.HeadSha, Status("success"));

        var second = await client.PostCommitStatusAsync(Project, FakeGitLabServer.HeadSha, Status("pending"));

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(["success", "pending"], Server.StatusesNamed("reviewbot").Select(s => s["status"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("error")]
    [InlineData("failure")]
    [InlineData("passed")]
    public async Task A_state_gitlab_does_not_know_is_a_400(string state)
    {
        var ex = await Assert.ThrowsAsync<GitLabApiException>(() => Client().PostCommitStatusAsync(Project, FakeGitLabServer.HeadSha, Status(state)));

        Assert.Equal((HttpStatusCode.BadRequest, "state does not have a valid value"), (ex.StatusCode, ex.Detail));
        Assert.Empty(Server.StatusesNamed("reviewbot"));
    }

    [Fact]
    public async Task A_status_on_an_unknown_commit_is_a_404()
    {
        var ex = await Assert.ThrowsAsync<GitLabApiException>(() => Client().PostCommitStatusAsync(Project, "deadbeef00000000000000000000000000000000", Status("pending")));

        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task A_status_on_a_ref_without_a_pipeline_creates_an_external_pipeline_that_follows_it()
    {
        var client = Client();

        var running = await client.PostCommitStatusAsync(Project, FakeGitLabServer.HeadSha, Status("running"));
        var external = Assert.Single(Server.Pipelines, p => p["source"]!.GetValue<string>() == "external");
        Assert.Equal(("feature/retry", "running"), (external["ref"]!.GetValue<string>(), external["status"]!.GetValue<string>()));
        await client.PostCommitStatusAsync(Project, FakeGitLabServer.HeadSha, Status("success"));

        Assert.Equal(external["id"]!.GetValue<long>(), running.PipelineId);
        Assert.Equal("success", external["status"]!.GetValue<string>());
        Assert.Equal(2, Server.Pipelines.Count); // the merge request pipeline (on refs/merge-requests/7/head) and the external one
        var newest = (await client.ListPipelinesAsync(Project, FakeGitLabServer.HeadSha)).Items[0];
        Assert.Equal(("external", "success"), (newest.Source, newest.Status));
    }

    [Fact]
    public async Task A_second_rule_that_names_nobody_is_refused_as_a_second_any_approver_rule()
    {
        var client = Client();
        var first = await client.CreateApprovalRuleAsync(Project, 7, new GlApprovalRuleWrite { Name = "one", ApprovalsRequired = 1, Usernames = [], GroupIds = [] });
        var named = await client.CreateApprovalRuleAsync(Project, 7, new GlApprovalRuleWrite { Name = "named", ApprovalsRequired = 1, Usernames = ["bob"], GroupIds = [] });

        var created = await Assert.ThrowsAsync<GitLabApiException>(() => client.CreateApprovalRuleAsync(Project, 7, new GlApprovalRuleWrite { Name = "two", ApprovalsRequired = 2, Usernames = [], GroupIds = [] }));
        var emptied = await Assert.ThrowsAsync<GitLabApiException>(() => client.UpdateApprovalRuleAsync(Project, 7, named.Id, new GlApprovalRuleWrite { Name = "named", ApprovalsRequired = 1, Usernames = [], GroupIds = [] }));

        Assert.Equal(("any_approver", "regular"), (first.RuleType, named.RuleType));
        Assert.All([created, emptied], ex => Assert.Equal((HttpStatusCode.BadRequest, """{"rule_type":["any-approver for the merge request already exists"]}"""), (ex.StatusCode, ex.Detail)));
        Assert.Equal(["one", "named"], Server.ApprovalRules.Select(r => r["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_rule_name_is_unique_per_rule_type()
    {
        var client = Client();
        await client.CreateApprovalRuleAsync(Project, 7, new GlApprovalRuleWrite { Name = "seniors", ApprovalsRequired = 1, Usernames = ["bob"], GroupIds = [] });

        var ex = await Assert.ThrowsAsync<GitLabApiException>(() => client.CreateApprovalRuleAsync(Project, 7, new GlApprovalRuleWrite { Name = "seniors", ApprovalsRequired = 2, Usernames = ["zed"], GroupIds = [] }));

        Assert.Equal((HttpStatusCode.BadRequest, """{"name":["has already been taken"]}"""), (ex.StatusCode, ex.Detail));
    }

    [Fact]
    public async Task Free_tier_forbids_and_community_edition_lacks_the_approval_rules_api()
    {
        var client = Client();
        var write = new GlApprovalRuleWrite { Name = "x", ApprovalsRequired = 1, Usernames = [], GroupIds = [] };
        Server.ApprovalRulesForbidden = true;
        var forbidden = await Assert.ThrowsAsync<GitLabApiException>(() => client.CreateApprovalRuleAsync(Project, 7, write));
        Server.ApprovalRulesForbidden = false;
        Server.ApprovalRulesAbsent = true;
        var absent = await Assert.ThrowsAsync<GitLabApiException>(() => client.ListApprovalRulesAsync(Project, 7));

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.NotFound), (forbidden.StatusCode, absent.StatusCode));
        Assert.True(forbidden.IsRefusal && absent.IsRefusal);
        Assert.Empty(Server.ApprovalRules);
    }

    [Fact]
    public async Task Unknown_projects_and_merge_requests_are_404s()
    {
        var client = Client();

        var project = await Assert.ThrowsAsync<GitLabApiException>(() => client.GetMergeRequestAsync("43", 7));
        var mergeRequest = await Assert.ThrowsAsync<GitLabApiException>(() => client.GetMergeRequestAsync(Project, 8));
        var notes = await Assert.ThrowsAsync<GitLabApiException>(() => client.CreateNoteAsync(Project, 8, "hello"));

        Assert.All([project, mergeRequest, notes], ex => Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode));
    }
}
