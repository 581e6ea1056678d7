using Microsoft.Extensions.Logging.Abstractions;
using Octokit;
using ReviewBot.Core.Snapshot;
using ReviewBot.GitHub.Api;
using ReviewBot.GitHub.Tests.Support;
using ReviewBot.Pipeline.Ports;
using ReviewBot.TestSupport;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Ports;
using ReviewBot.Pipeline.Rules;

namespace ReviewBot.GitHub.Tests;

/// <summary>The snapshot source against the local fake GitHub API over real HTTP: what it loads, and with how few requests.</summary>
public sealed class SnapshotSourceTests : IAsyncLifetime
{
    private const string Head = "1111111111111111111111111111111111111111";
    private const string Base = "2222222222222222222222222222222222222222";
    private FakeGitHub _github = null!;

    public async Task InitializeAsync() => _github = await FakeGitHub.StartAsync();

    public async Task DisposeAsync() => await _github.DisposeAsync();

    private (GitHubApi Api, GitHubPullRequestSource Source) Source(Action<GitHubOptions>? change = null)
    {
        var options = new GitHubOptions { ApiBaseUrl = _github.Address.ToString(), GraphQLUrl = new Uri(_github.Address, "graphql").ToString(), Token = "t" };
        change?.Invoke(options);
        var api = new GitHubApi(new HttpMessageInvoker(new SocketsHttpHandler()), options, new Credentials("t"), TimeProvider.System, NullLogger.Instance);
        return (api, new GitHubPullRequestSource(api, NullLogger.Instance));
    }

    private static ReviewRequest Request(long number) => new()
    {
        Platform = Platform.GitHub,
        Repository = "Codertocat/Hello-World",
        Number = number,
        DeliveryId = "d",
        Event = "pull_request.opened",
    };

    private FakePullRequest Pr(int files)
    {
        var pr = new FakePullRequest { Number = 5, Author = "copilot-swe-agent[bot]", AuthorType = "Bot", HeadSha = Head, BaseSha = Base, Title = "Add feature", Body = "Generated" };
        for (var i = 0; i < files; i++)
        {
            pr.AddFile($"src/File{i:000}.cs");
            _github.Blobs[$"{Base}:src/File{i:000}.cs"] = $"class Old{i} {{}}";
            _github.Blobs[$"{Head}:src/File{i:000}.cs"] = $"class New{i} {{}}";
        }

        pr.AddCommit(Head, "Add feature\n\nCo-authored-by: Alice <alice@example.com>", "copilot-swe-agent[bot]", "Copilot")
            .AddReview(1, "alice", "APPROVED", Head)
            .AddReview(2, "bob", "CHANGES_REQUESTED", Base);
        pr.Labels.Add("enhancement");
        pr.RequestedReviewers.Add("carol");
        _github.PullRequests[5] = pr;
        _github.AddCheckRun(Head, "build", "success", "actions");
        _github.AddCheckRun(Head, "ReviewBot", "failure", FakeGitHub.BotAppSlug);
        _github.AddStatus(Head, "ci/legacy", "pending", "jenkins");
        return pr;
    }

    [Fact]
    public async Task Loads_metadata_commits_reviews_and_checks_of_the_head_without_its_own_check()
    {
        Pr(files: 3);
        var (_, source) = Source();

        var snapshot = await source.LoadAsync(Request(5));

        Assert.Equal((Head, Base, "feature", "main"), (snapshot.HeadSha, snapshot.BaseSha, snapshot.HeadRef, snapshot.BaseRef));
        Assert.Equal("copilot-swe-agent[bot]", snapshot.Author.Login);
        Assert.Same(GitHubPullRequestSource.IdentityFacts, snapshot.IdentityFacts); // what GitHub vouches for travels on the snapshot
        Assert.Equal(PlatformIdentityFacts.GitHub, snapshot.IdentityFacts);
        Assert.True(snapshot.Author.IsBot);
        Assert.Equal(3, snapshot.Files.Count);
        Assert.False(snapshot.FilesTruncated);
        var commit = Assert.Single(snapshot.Commits);
        Assert.Equal(new Trailer("Co-authored-by", "Alice <alice@example.com>"), Assert.Single(commit.Trailers));
        Assert.Equal([(ReviewState.Approved, Head), (ReviewState.ChangesRequested, Base)], snapshot.Reviews.Select(r => (r.State, r.CommitSha)));
        Assert.Equal(["build", "ci/legacy"], snapshot.Checks.Select(c => c.Name).Order());
        Assert.True(snapshot.Checks.Single(c => c.Name == "build").IsSuccessful);
        Assert.Null(snapshot.Checks.Single(c => c.Name == "ci/legacy").Conclusion);
        Assert.Equal(["enhancement"], snapshot.Labels);
        Assert.Equal(["carol"], snapshot.RequestedReviewers);
    }

    [Fact]
    public async Task A_100_file_pull_request_with_contents_of_both_sides_needs_at_most_13_read_requests()
    {
        Pr(files: 100);
        var (api, source) = Source();

        var snapshot = await source.LoadAsync(Request(5));
        var rules = await RulesLocator.LocateAsync(snapshot, GitHubSessionFactory.RulesLocation(api, snapshot.Repository, new GitHubOptions()));
        var contents = await snapshot.Contents.GetAsync([.. snapshot.Files.SelectMany(f => new[] { new FileRequest(f.Path, Side.Base), new FileRequest(f.Path, Side.Head) })]);

        Assert.Equal(RulesLocator.BuiltInDefault, rules.RepositoryLayer);
        Assert.Equal(200, contents.Count);
        Assert.Equal("class New42 {}", System.Text.Encoding.UTF8.GetString(contents.Single(c => c.Path == "src/File042.cs" && c.Side == Side.Head).Bytes.Span));
        Assert.Equal(0, api.Counter.Writes);
        Assert.True(api.Counter.Reads <= 13, $"{api.Counter.Reads} reads: " + string.Join('\n', _github.Requests.Select(r => r.Method + " " + r.Path)));
        Assert.Equal(2, _github.Requests.Count(r => r.Path == "/graphql" && r.Body.Contains("f0: object", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Files_are_paginated_up_to_the_configured_cap()
    {
        Pr(files: 250);
        var (_, source) = Source();
        var (_, capped) = Source(o => o.MaxFiles = 200);

        int FilePages() => _github.Requests.Count(r => r.Path.StartsWith("/repos/Codertocat/Hello-World/pulls/5/files", StringComparison.Ordinal));

        var all = await source.LoadAsync(Request(5));
        var pagesForAll = FilePages();
        var some = await capped.LoadAsync(Request(5));

        Assert.Equal(250, all.Files.Count);
        Assert.Equal(3, pagesForAll);
        Assert.Equal(2, FilePages() - pagesForAll);
        Assert.Equal(200, some.Files.Count);
        Assert.True(some.FilesTruncated);
    }

    [Fact]
    public async Task Rules_come_from_the_base_commit_then_the_organisation_repository_then_the_built_in_default()
    {
        Pr(files: 1);
        var (api, source) = Source();
        var snapshot = await source.LoadAsync(Request(5));
        Task<LocatedRules> Locate(GitHubOptions options) => RulesLocator.LocateAsync(snapshot, GitHubSessionFactory.RulesLocation(api, snapshot.Repository, options));

        var builtIn = await Locate(new GitHubOptions());
        var off = await Locate(new GitHubOptions { UseBuiltInDefault = false });
        _github.Blobs["Codertocat/.github@HEAD:.gitlab/reviewbot.yml"] = "org: true\n";
        var org = await Locate(new GitHubOptions());
        _github.Blobs[$"{Base}:.reviewbot.yml"] = "repo: true\n";
        _github.Blobs[$"{Head}:.reviewbot.yml"] = "repo: loosened\n";
        int RulesRequests() => _github.Requests.Count(r => r.Path == "/graphql" && r.Body.Contains("p0: object", StringComparison.Ordinal));
        var before = RulesRequests();
        var repo = await Locate(new GitHubOptions());
        var requests = RulesRequests() - before;
        var configured = await Locate(new GitHubOptions { RulesPath = "policy/rules.yml", OrgRulesRepository = "" });

        Assert.Equal(("built-in", DefaultPolicy.Text), (builtIn.RepositoryLayer!.Origin, builtIn.RepositoryLayer.Text));
        Assert.Null(off.RepositoryLayer);
        Assert.Equal(("organisation", "Codertocat/.github:.gitlab/reviewbot.yml", "org: true\n"), (org.Organisation!.Origin, org.Organisation.Path, org.Organisation.Text));
        Assert.Equal(("base", ".reviewbot.yml", "repo: true\n"), (repo.RepositoryLayer!.Origin, repo.RepositoryLayer.Path, repo.RepositoryLayer.Text));
        Assert.Equal("org: true\n", repo.Organisation!.Text);
        Assert.Null(repo.Head);
        Assert.Equal(RulesLocator.BuiltInDefault, configured.RepositoryLayer);

        // One GraphQL request per source: the repository's candidate paths together, the organisation's together.
        Assert.Equal(2, requests);
    }

    [Fact]
    public async Task Head_rules_are_read_only_when_the_pull_request_edits_the_rules_file()
    {
        var pr = Pr(files: 1);
        _github.Blobs[$"{Head}:.github/reviewbot.yml"] = "rules: [\n";
        var (api, source) = Source();
        Task<LocatedRules> Locate(PullRequestSnapshot snapshot) => RulesLocator.LocateAsync(snapshot, GitHubSessionFactory.RulesLocation(api, snapshot.Repository, new GitHubOptions()));
        var untouched = await Locate(await source.LoadAsync(Request(5)));
        pr.AddFile(".github/reviewbot.yml");

        var edited = await Locate(await source.LoadAsync(Request(5)));

        Assert.Null(untouched.Head);
        Assert.Equal(("head", "rules: [\n"), (edited.Head!.Origin, edited.Head.Text));
    }

    [Fact]
    public async Task Team_members_are_read_once_per_evaluation_and_a_missing_team_has_none()
    {
        _github.Teams["Codertocat/seniors"] = ["alice", "Bob"];
        var (api, _) = Source();
        var membership = new GitHubGroupMembership(api, "Codertocat/Hello-World");

        var first = await membership.GetMembersAsync("Codertocat/seniors");
        var again = await membership.GetMembersAsync("@Codertocat/seniors");
        var bare = await membership.GetMembersAsync("seniors");
        var missing = await membership.GetMembersAsync("Codertocat/nobody");

        Assert.Contains("bob", first);
        Assert.Same(first, again);
        Assert.Same(first, bare);
        Assert.Empty(missing);
        Assert.Equal(1, _github.Requests.Count(r => r.Path.StartsWith("/orgs/Codertocat/teams/seniors/members", StringComparison.Ordinal)));
        Assert.Equal(["team Codertocat/nobody could not be read (404: it does not exist, or this token may not see it)"], membership.Unreadable);
    }

    [Fact]
    public async Task A_token_that_may_not_read_teams_gets_no_members_and_says_so_but_a_rate_limit_still_fails()
    {
        _github.Teams["Codertocat/seniors"] = ["alice"];
        _github.TokensWithoutTeamAccess.Add("t");
        var (api, _) = Source();
        var membership = new GitHubGroupMembership(api, "Codertocat/Hello-World");

        Assert.Empty(await membership.GetMembersAsync("Codertocat/seniors"));
        Assert.Equal(["team Codertocat/seniors could not be read (403: this token may not read team membership)"], membership.Unreadable);

        _github.Failures.Enqueue(("GET /orgs/Codertocat/teams/juniors/members", 403, new() { ["X-RateLimit-Remaining"] = "0", ["X-RateLimit-Reset"] = "4102444800" }));
        await Assert.ThrowsAsync<ReviewBot.Pipeline.Ports.PlatformTransientException>(() => membership.GetMembersAsync("Codertocat/juniors"));
        Assert.Single(membership.Unreadable);
    }
}
