using System.CommandLine;
using System.Text.Json;
using ReviewBot.Cli.Commands;
using ReviewBot.GitHub.Tests.Support;
using ReviewBot.GitLab.Tests;

namespace ReviewBot.Cli.Tests;

/// <summary>
/// `reviewbot simulate` against the fake GitHub and the fake GitLab over loopback HTTP, through the bot's own
/// platform adapters: today's rules (found at the base commit, teams resolved, reviews and approvals counted) and
/// a proposed file give two decisions side by side, and nothing is written to the platform.
/// </summary>
public sealed class SimulateCommandTests : IDisposable
{
    private const string GitHubToken = "ghp_simulate_token_never_printed_0123";
    private const string Head = "1111111111111111111111111111111111111111";
    private const string Base = "2222222222222222222222222222222222222222";

    /// <summary>Source changes need one approval from the team Codertocat/seniors.</summary>
    internal const string OneSenior = """
        version: 1
        groups:
          seniors: { teams: [Codertocat/seniors] }
        rules:
          - name: source changes need a senior
            if: { paths: ["src/**"] }
            require:
              approvals: [{ group: seniors, count: 1 }]
        """;

    private static readonly string TwoSeniors = OneSenior
        .Replace("need a senior", "need two seniors", StringComparison.Ordinal)
        .Replace("count: 1", "count: 2", StringComparison.Ordinal);

    private const string ThreeApprovals = """
        version: 1
        groups:
          anyone: { anyone: true }
        rules:
          - name: everything needs three approvals
            require:
              approvals: [{ group: anyone, count: 3 }]
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("reviewbot-simulate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string RulesFile(string text)
    {
        var path = Path.Combine(_dir, $"proposed-{Guid.NewGuid():N}.yml");
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Code, string Stdout, string Stderr) Simulate(Dictionary<string, string> environment, params string[] args)
    {
        var root = new RootCommand();
        root.Subcommands.Add(SimulateCommand.Create(() => environment));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CliRunner.Run(root, ["simulate", .. args], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static async Task<FakeGitHub> GitHubWithApprovedPullRequestAsync()
    {
        var fake = await FakeGitHub.StartAsync();
        var pr = new FakePullRequest { Number = 5, Author = "alice", HeadSha = Head, BaseSha = Base, Title = "Add retry to payments client" };
        pr.AddFile("src/Payments/Client.cs").AddCommit(Head, "Retry on 503\n", "alice", "Alice").AddReview(1, "bob", "APPROVED", Head);
        fake.PullRequests[5] = pr;
        fake.Teams["Codertocat/seniors"] = ["bob", "carol"];
        fake.Blobs[$"{Base}:src/Payments/Client.cs"] = "class Client { }\n";
        fake.Blobs[$"{Head}:src/Payments/Client.cs"] = "class Client { void Retry() { } }\n";
        fake.Blobs[$"{Base}:.github/reviewbot.yml"] = OneSenior;
        return fake;
    }

    [Fact]
    public async Task On_GitHub_todays_rules_and_the_proposed_file_are_evaluated_side_by_side_without_writing()
    {
        await using var fake = await GitHubWithApprovedPullRequestAsync();
        var env = new Dictionary<string, string> { ["GITHUB_TOKEN"] = GitHubToken, ["GITHUB_API_URL"] = fake.Address.ToString() };

        var (code, stdout, stderr) = Simulate(env, "--pr", "https://github.com/Codertocat/Hello-World/pull/5", "--rules", RulesFile(TwoSeniors), "--format", "json");

        Assert.True(code == ExitCodes.NotMet, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("github", root.GetProperty("pullRequest").GetProperty("platform").GetString());
        Assert.Equal(5, root.GetProperty("pullRequest").GetProperty("number").GetInt64());
        var today = root.GetProperty("today");
        Assert.Equal("base", today.GetProperty("rulesSource").GetProperty("origin").GetString());
        Assert.Equal("pass", today.GetProperty("decision").GetProperty("state").GetString());
        var counted = Assert.Single(today.GetProperty("requirements").GetProperty("approvals").EnumerateArray());
        Assert.Equal(1, counted.GetProperty("approved").GetInt32()); // bob's review, counted through the team the fake resolves
        var proposed = root.GetProperty("proposed");
        Assert.Equal("file", proposed.GetProperty("rulesSource").GetProperty("origin").GetString());
        Assert.Equal("pending", proposed.GetProperty("decision").GetProperty("state").GetString());
        Assert.False(root.GetProperty("same").GetBoolean());
        var aspects = root.GetProperty("differences").EnumerateArray().Select(d => d.GetProperty("aspect").GetString()).ToList();
        Assert.Contains("conclusion", aspects);
        Assert.Contains("requirements", aspects);

        Assert.Contains(fake.Requests, r => r.Path.StartsWith("/orgs/Codertocat/teams/seniors/members", StringComparison.Ordinal));
        Assert.Contains(fake.Requests, r => r.Path.StartsWith("/repos/Codertocat/Hello-World/pulls/5/reviews", StringComparison.Ordinal));
        Assert.All(fake.Requests, r => Assert.True(
            r.Method == "GET" || (r.Method == "POST" && r.Path.StartsWith("/graphql", StringComparison.Ordinal) && !r.Body.Contains("mutation", StringComparison.OrdinalIgnoreCase)),
            $"a write: {r.Method} {r.Path}"));
        Assert.Contains(fake.Requests, r => r.Authorization.Contains(GitHubToken, StringComparison.Ordinal));
        Assert.Empty(fake.CheckRuns);
        Assert.Empty(fake.Statuses);
        Assert.Empty(fake.Comments);
        Assert.DoesNotContain(GitHubToken, stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_text_output_puts_both_decisions_side_by_side_and_the_same_rules_give_the_same_decision()
    {
        await using var fake = await GitHubWithApprovedPullRequestAsync();
        var env = new Dictionary<string, string> { ["GH_TOKEN"] = GitHubToken, ["GITHUB_API_URL"] = fake.Address.ToString() };

        var (differs, text, stderr) = Simulate(env, "--pr", "https://github.com/Codertocat/Hello-World/pull/5", "--rules", RulesFile(TwoSeniors));
        Assert.True(differs == ExitCodes.NotMet, stderr);
        Assert.Contains("Pull request: github Codertocat/Hello-World#5 @ 1111111: Add retry to payments client", text, StringComparison.Ordinal);
        Assert.Matches(@"decision +pass: .* \| pending: ", text);
        Assert.Matches(@"requires +approvals source changes need a senior: 1/1 from .* \| approvals source changes need two seniors: 1/2 from ", text);
        Assert.Contains("  - today:    pass", text, StringComparison.Ordinal);
        Assert.Contains("  + proposed: pending", text, StringComparison.Ordinal);

        var (same, sameText, sameErr) = Simulate(env, "--pr", "https://github.com/Codertocat/Hello-World/pull/5", "--rules", RulesFile(OneSenior));
        Assert.True(same == ExitCodes.Success, sameErr);
        Assert.Contains("The same decision under both rule sets.", sameText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_GitLab_the_merge_request_is_read_through_the_GitLab_adapter_without_writing()
    {
        await using var fake = await FakeGitLabServer.StartAsync();
        var env = new Dictionary<string, string> { ["GITLAB_TOKEN"] = FakeGitLabServer.Token, ["GITLAB_URL"] = fake.BaseUri.ToString() };

        var (code, stdout, stderr) = Simulate(
            env, "--pr", $"https://gitlab.example.com/{FakeGitLabServer.ProjectPath}/-/merge_requests/7", "--rules", RulesFile(ThreeApprovals), "--format", "json");

        Assert.True(code == ExitCodes.NotMet, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("gitlab", root.GetProperty("pullRequest").GetProperty("platform").GetString());
        Assert.Equal(FakeGitLabServer.ProjectPath, root.GetProperty("pullRequest").GetProperty("repository").GetString());
        Assert.Equal(".gitlab/reviewbot.yml", root.GetProperty("today").GetProperty("rulesSource").GetProperty("path").GetString());
        Assert.Equal("pass", root.GetProperty("today").GetProperty("decision").GetProperty("state").GetString());
        Assert.Equal("pending", root.GetProperty("proposed").GetProperty("decision").GetProperty("state").GetString());
        var approvals = Assert.Single(root.GetProperty("proposed").GetProperty("requirements").GetProperty("approvals").EnumerateArray());
        Assert.Equal(3, approvals.GetProperty("required").GetInt32());
        Assert.True(approvals.GetProperty("approved").GetInt32() > 0, "the recorded approvals count");

        Assert.NotEmpty(fake.Requests);
        Assert.All(fake.Requests, r => Assert.True(r.Method == "GET", $"a write: {r.Method} {r.Path}"));
        Assert.DoesNotContain(FakeGitLabServer.Token, stdout + stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://github.com/Codertocat/Hello-World/pull/5", "no GitHub token: set GITHUB_TOKEN")]
    [InlineData("https://gitlab.example.com/acme/api/-/merge_requests/3", "no GitLab token: set GITLAB_TOKEN")]
    [InlineData("https://github.com/Codertocat/Hello-World/issues/5", "names no pull request")]
    [InlineData("not a url", "is not an http(s) URL")]
    public void Without_a_token_or_a_pull_request_url_it_is_a_usage_error(string url, string message)
    {
        var (code, _, stderr) = Simulate([], "--pr", url, "--rules", RulesFile(OneSenior));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pull_request_the_platform_does_not_have_is_an_error_not_a_decision()
    {
        await using var fake = await FakeGitHub.StartAsync();
        var env = new Dictionary<string, string> { ["GITHUB_TOKEN"] = GitHubToken, ["GITHUB_API_URL"] = fake.Address.ToString() };

        var (code, stdout, stderr) = Simulate(env, "--pr", "https://github.com/Codertocat/Hello-World/pull/404", "--rules", RulesFile(OneSenior));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", stdout);
        Assert.Contains("could not evaluate GitHub Codertocat/Hello-World#404", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(GitHubToken, stderr, StringComparison.Ordinal);
    }
}
