using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ReviewBot.Core.Ports;
using ReviewBot.Core.Snapshot;
using ReviewBot.GitLab.Api;
using ReviewBot.Pipeline.Ports;
using ReviewBot.TestSupport;
using ReviewBot.Pipeline.Rules;

namespace ReviewBot.GitLab.Tests;

/// <summary>The merge request snapshot and group membership, loaded from the fake GitLab over HTTP.</summary>
public sealed class SnapshotSourceTests : FakeGitLabTest
{
    private async Task<(PullRequestSnapshot Snapshot, GitLabClient Client)> LoadAsync()
    {
        var client = new GitLabClient(Http, Options, TimeProvider.System);
        return (await new GitLabPullRequestSource(client, Options).LoadAsync(Request), client);
    }

    [Fact]
    public async Task Merge_request_metadata_maps_to_the_snapshot()
    {
        var (snapshot, client) = await LoadAsync();

        Assert.Equal(Platform.GitLab, snapshot.Platform);
        Assert.Same(GitLabPullRequestSource.IdentityFacts, snapshot.IdentityFacts); // what GitLab vouches for travels on the snapshot
        Assert.Equal(PlatformIdentityFacts.GitLab, snapshot.IdentityFacts);
        Assert.False(snapshot.IdentityFacts.LoginsVerified); // usernames are free to pick
        Assert.Equal("acme/backend/api", snapshot.Repository);
        Assert.Equal(7, snapshot.Number);
        Assert.Equal("Add retry to payments client", snapshot.Title);
        Assert.Equal(new Person { Login = "alice", Name = "Alice", Id = 11 }, snapshot.Author);
        Assert.Equal(["bob"], snapshot.Assignees.Select(a => a.Login));
        Assert.Equal(["backend"], snapshot.Labels);
        Assert.Equal(["carol"], snapshot.RequestedReviewers);
        Assert.Equal(("main", FakeGitLabServer.BaseSha, "feature/retry", FakeGitLabServer.HeadSha), (snapshot.BaseRef, snapshot.BaseSha, snapshot.HeadRef, snapshot.HeadSha));
        // MR, commits, diffs, versions, approvals, pipelines, statuses, notes, the jobs of the head pipeline; the user
        // behind alice@example.com (Claude's address is not looked up); bob approved the first version, so both versions'
        // diffs (patch ids).
        Assert.Equal(12, client.RequestCount);
    }

    [Fact]
    public async Task Commits_are_oldest_first_with_git_identities()
    {
        var (snapshot, _) = await LoadAsync();

        Assert.Equal([FakeGitLabServer.FirstSha, FakeGitLabServer.HeadSha], snapshot.Commits.Select(c => c.Sha));
        var head = snapshot.Commits[1];
        Assert.Equal("Retry on 503", head.Subject);
        Assert.Equal(new Person { Name = "Alice", Email = "alice@example.com" }, head.Author);
        Assert.Equal([FakeGitLabServer.FirstSha], head.Parents);
        Assert.Equal([new Trailer("Co-authored-by", "Claude <noreply@anthropic.com>")], head.Trailers);
        Assert.Empty(snapshot.Commits[0].Trailers);
    }

    [Fact]
    public async Task Diffs_become_changed_files_across_pages()
    {
        Server.PageSize = 1;

        var (snapshot, _) = await LoadAsync();

        var modified = snapshot.Files[0];
        Assert.Equal(("src/Payments/Client.cs", FileStatus.Modified, 2, 1), (modified.Path, modified.Status, modified.Additions, modified.Deletions));
        var renamed = snapshot.Files[1];
        Assert.Equal(("src/New.cs", "src/Old.cs", FileStatus.Renamed), (renamed.Path, renamed.PreviousPath, renamed.Status));
        Assert.False(snapshot.FilesTruncated);
    }

    [Fact]
    public async Task Approvals_are_tied_to_the_diff_version_current_when_given()
    {
        var (snapshot, _) = await LoadAsync();

        Assert.Equal(
            [("bob", FakeGitLabServer.FirstSha), ("dave", FakeGitLabServer.HeadSha)],
            snapshot.Reviews.Select(r => (r.Reviewer.Login!, r.CommitSha!)));
        Assert.All(snapshot.Reviews, r => Assert.Equal(ReviewState.Approved, r.State));
    }

    [Fact]
    public async Task Pipeline_and_latest_statuses_become_checks_without_reviewbots_own()
    {
        Server.Statuses.Add(FakeGitLabServer.Obj($$"""{ "id": 404, "sha": "{{FakeGitLabServer.HeadSha}}", "name": "reviewbot", "status": "failed" }"""));

        var (snapshot, _) = await LoadAsync();

        // build and lint are jobs of the merge request's head pipeline (the jobs API lists them).
        Assert.Equal(
            [("pipeline", "gitlab-ci", CheckOrigin.Pipeline, CheckConclusion.Success), ("build", "gitlab-ci", CheckOrigin.PipelineJob, CheckConclusion.Success), ("lint", "gitlab-ci", CheckOrigin.PipelineJob, CheckConclusion.Neutral)],
            snapshot.Checks.Select(c => (c.Name, c.Source!, c.Origin, c.Conclusion!.Value)));
    }

    [Fact]
    public async Task An_external_status_is_never_a_pipeline_job_even_in_the_merge_requests_pipeline_and_keeps_its_own_entry()
    {
        // Posted through the API into pipeline 300 after the CI job "build" succeeded: the later one of the name.
        Assert.Equal(System.Net.HttpStatusCode.Created, await PostExternalStatusAsync("build", "failed", "refs/merge-requests/7/head"));

        var (snapshot, _) = await LoadAsync();

        Assert.Equal(
            [(CheckOrigin.PipelineJob, "gitlab-ci", CheckConclusion.Success), (CheckOrigin.CommitStatus, "status", CheckConclusion.Failure)],
            snapshot.Checks.Where(c => c.Name == "build").Select(c => (c.Origin, c.Source!, c.Conclusion!.Value)));
    }

    [Fact]
    public async Task Without_a_head_pipeline_no_status_is_a_pipeline_job_and_no_jobs_are_asked_for()
    {
        Server.MergeRequest.Remove("head_pipeline");

        var (snapshot, _) = await LoadAsync();

        Assert.All(snapshot.Checks.Where(c => c.Name != "pipeline"), c => Assert.Equal(CheckOrigin.CommitStatus, c.Origin));
        Assert.Empty(Server.RequestsTo("GET", "/jobs"));
    }

    [Fact]
    public async Task Contents_come_from_the_raw_files_api_at_base_and_head()
    {
        var (snapshot, _) = await LoadAsync();

        var contents = await snapshot.Contents.GetAsync([
            new FileRequest("src/Payments/Client.cs", Side.Base),
            new FileRequest("src/Payments/Client.cs", Side.Head),
            new FileRequest("src/New.cs", Side.Head),
        ]);

        Assert.Equal(2, contents.Count);
        Assert.Equal("using System;\nclass A {}\n", Encoding.UTF8.GetString(contents.Single(c => c.Side == Side.Base).Bytes.Span));
        Assert.Equal("using System;\nclass A { }\nclass B { }\n", Encoding.UTF8.GetString(contents.Single(c => c.Side == Side.Head).Bytes.Span));
    }

    private Task<LocatedRules> LocateAsync(PullRequestSnapshot snapshot, GitLabClient client, GitLabOptions options)
        => RulesLocator.LocateAsync(snapshot, GitLabSessionFactory.RulesLocation(client, Request, options));

    [Fact]
    public async Task Rules_come_from_the_base_commit_not_the_target_branch_tip_nor_the_merge_request()
    {
        Server.Files[("main", ".gitlab/reviewbot.yml")] = "version: 1\n# main moved on since the merge request was opened\n";
        Server.Files[(FakeGitLabServer.HeadSha, ".gitlab/reviewbot.yml")] = "version: 1\n# loosened by the MR\n";
        var (snapshot, client) = await LoadAsync();
        var untouched = await LocateAsync(snapshot, client, Options);
        snapshot = snapshot with { Files = [.. snapshot.Files, new ChangedFile { Path = ".gitlab/reviewbot.yml", Status = FileStatus.Modified }] };

        var rules = await LocateAsync(snapshot, client, Options);

        Assert.Equal(new RulesSource { Path = ".gitlab/reviewbot.yml", Revision = "b10b", Text = "version: 1\nrules: []\n", Origin = "base" }, rules.RepositoryLayer);
        Assert.Null(untouched.Head);
        Assert.Equal(("head", "version: 1\n# loosened by the MR\n"), (rules.Head!.Origin, rules.Head.Text));
        Assert.Contains(Server.Requests, r => r.Path.EndsWith("/repository/files/.gitlab%2Freviewbot.yml", StringComparison.Ordinal) && r.Query == "?ref=" + FakeGitLabServer.BaseSha);
        Assert.DoesNotContain(Server.Requests, r => r.Path.Contains("/repository/files/", StringComparison.Ordinal) && r.Query == "?ref=main");
    }

    [Fact]
    public async Task Without_a_rules_file_the_gate_is_the_built_in_policy_unless_switched_off()
    {
        Server.Files.Clear();
        var (snapshot, client) = await LoadAsync();

        var rules = await LocateAsync(snapshot, client, Options);
        Assert.Equal((ReviewBot.Core.Policy.DefaultPolicy.Path, "built-in", ReviewBot.Core.Policy.DefaultPolicy.Text), (rules.RepositoryLayer!.Path, rules.RepositoryLayer.Origin, rules.RepositoryLayer.Text));
        Assert.Null(rules.Head);

        Assert.Null((await LocateAsync(snapshot, client, Options with { UseBuiltInDefault = false })).RepositoryLayer);
        Assert.Equal(
            [.. RulesLocator.DefaultPaths.Select(p => "/api/v4/projects/42/repository/files/" + Uri.EscapeDataString(p))],
            Server.RequestsTo("GET", "/repository/files/").Take(3).Select(r => r.Path));
    }

    [Fact]
    public async Task The_github_location_is_found_and_a_configured_path_is_the_only_one_read()
    {
        Server.Files.Clear();
        Server.Files[(FakeGitLabServer.BaseSha, ".github/reviewbot.yml")] = "version: 1\n";
        Server.Files[(FakeGitLabServer.BaseSha, "policy/rules.yml")] = "version: 1\n# custom\n";
        var (snapshot, client) = await LoadAsync();

        Assert.Equal(".github/reviewbot.yml", (await LocateAsync(snapshot, client, Options)).RepositoryLayer!.Path);
        var configured = (await LocateAsync(snapshot, client, Options with { RulesPath = "policy/rules.yml" })).RepositoryLayer;
        Assert.Equal(("policy/rules.yml", "base"), (configured!.Path, configured.Origin));
    }

    [Fact]
    public async Task The_policy_project_of_the_nearest_group_is_the_organisation_source()
    {
        Server.Files.Clear();
        Server.OtherProjectFiles[("acme/policy", "HEAD", ".gitlab/reviewbot.yml")] = "version: 1\n# acme\n";
        Server.OtherProjectFiles[("acme/backend/policy", "HEAD", ".reviewbot.yml")] = "version: 1\n# backend\n";
        var (snapshot, client) = await LoadAsync();
        var options = Options with { PolicyProjects = new(StringComparer.OrdinalIgnoreCase) { ["acme"] = "acme/policy", ["acme/backend"] = "acme/backend/policy" } };

        var rules = await LocateAsync(snapshot, client, options);
        Server.Files[(FakeGitLabServer.BaseSha, ".gitlab/reviewbot.yml")] = "version: 1\n# own\n";
        var own = await LocateAsync(snapshot, client, options);

        Assert.Equal(("organisation", "acme/backend/policy:.reviewbot.yml", "version: 1\n# backend\n"), (rules.Organisation!.Origin, rules.Organisation.Path, rules.Organisation.Text));
        Assert.Equal(("base", "version: 1\n# own\n"), (own.RepositoryLayer!.Origin, own.RepositoryLayer.Text));
        Assert.Equal("version: 1\n# backend\n", own.Organisation!.Text);
        Assert.Equal("acme/policy", (Options with { PolicyProjects = new() { ["acme"] = "acme/policy" } }).PolicyProjectFor("acme/backend/api"));
        Assert.Null(options.PolicyProjectFor("other/api"));
    }

    [Fact]
    public async Task An_api_failure_while_loading_throws()
    {
        for (var i = 0; i < 4; i++)
        {
            Server.FailNext("/diffs", 500);
        }

        await Assert.ThrowsAsync<PlatformTransientException>(LoadAsync);
    }

    [Fact]
    public async Task Group_members_are_active_developers_and_above_and_platform_prefixes_are_honoured()
    {
        var membership = new GitLabGroupMembership(new GitLabClient(Http, Options, TimeProvider.System), Options);

        Assert.Equal(["bob"], await membership.GetMembersAsync("acme/seniors"));
        Assert.Equal(["bob"], await membership.GetMembersAsync("gitlab:acme/seniors"));
        Assert.Empty(await membership.GetMembersAsync("github:acme/seniors"));
        Assert.Empty(await membership.GetMembersAsync("acme/no-such-group"));
        Assert.Single(Server.RequestsTo("GET", "/groups/acme%2Fseniors/members/all")); // cached per evaluation
    }

    [Fact]
    public async Task A_branch_pipeline_sha_locates_the_open_merge_request_whose_head_it_is()
    {
        using var provider = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var factory = new GitLabSessionFactory(provider.GetRequiredService<IHttpClientFactory>(), Microsoft.Extensions.Options.Options.Create(Options), TimeProvider.System);

        Assert.Equal([7L], await factory.FindOpenPullRequestsAsync(Request with { Number = 0, HeadSha = FakeGitLabServer.HeadSha }));
        Assert.Empty(await factory.FindOpenPullRequestsAsync(Request with { Number = 0, HeadSha = FakeGitLabServer.FirstSha })); // not the head any more
        Server.MergeRequest["state"] = "merged";
        Assert.Empty(await factory.FindOpenPullRequestsAsync(Request with { Number = 0, HeadSha = FakeGitLabServer.HeadSha }));
    }

    [Theory]
    [InlineData("project_42_bot_3f2a", true)]
    [InlineData("group_7_bot", true)]
    [InlineData("ghost", true)]
    [InlineData("alice", false)]
    [InlineData("robot_project", false)]
    public void Token_bot_users_are_bots(string username, bool bot)
        => Assert.Equal(bot, GitLabPullRequestSource.ToPerson(new GlUser { Id = 1, Username = username }).IsBot);

    [Fact]
    public void The_bot_flag_from_gitlab_wins_over_the_name()
        => Assert.True(GitLabPullRequestSource.ToPerson(new GlUser { Id = 1, Username = "renovate", Bot = true }).IsBot);

    [Fact]
    public void Approvals_without_a_time_have_no_commit()
    {
        var reviews = GitLabPullRequestSource.ToReviews(
            new GlApprovals { ApprovedBy = [new GlApprovedBy { User = new GlUser { Id = 3, Username = "bob" } }] }, [], "head");

        Assert.Null(Assert.Single(reviews).CommitSha);
    }

    [Theory]
    [InlineData("success", CheckStatus.Completed, CheckConclusion.Success)]
    [InlineData("failed", CheckStatus.Completed, CheckConclusion.Failure)]
    [InlineData("canceled", CheckStatus.Completed, CheckConclusion.Cancelled)]
    [InlineData("skipped", CheckStatus.Completed, CheckConclusion.Skipped)]
    [InlineData("manual", CheckStatus.Completed, CheckConclusion.ActionRequired)]
    [InlineData("running", CheckStatus.InProgress, null)]
    [InlineData("pending", CheckStatus.Queued, null)]
    [InlineData("created", CheckStatus.Queued, null)]
    public void Gitlab_states_map_to_check_states(string state, CheckStatus status, CheckConclusion? conclusion)
    {
        var check = GitLabPullRequestSource.ToCheck("x", state, "status", null);
        Assert.Equal((status, conclusion), (check.Status, check.Conclusion));
    }

    [Fact]
    public void Json_nodes_of_the_fake_are_gitlab_shaped()
        => Assert.Equal("alice", Server.MergeRequest["author"]!["username"]!.GetValue<string>());
}
