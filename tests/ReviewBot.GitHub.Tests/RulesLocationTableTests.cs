using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Octokit;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Pipeline;
using ReviewBot.Core.Ports;
using ReviewBot.Core.Snapshot;
using ReviewBot.GitHub.Api;
using ReviewBot.GitHub.Tests.Support;
using ReviewBot.GitLab;
using ReviewBot.GitLab.Api;
using ReviewBot.GitLab.Tests;
using ReviewBot.Pipeline;
using ReviewBot.TestSupport;

namespace ReviewBot.GitHub.Tests;

/// <summary>
/// One rules file and one change give the same decision through GitHub, GitLab and the CLI: each platform's real
/// adapter over real HTTP (the fakes) or the `reviewbot check` process over a real git repository, then the production
/// evaluator. Both platforms read the rules at the base commit (their target branch has moved on to a permissive
/// file) and apply the same built-in default when neither the repository nor the organisation has rules.
/// </summary>
public sealed class RulesLocationTableTests
{
    private const string Path = ".github/reviewbot.yml";
    private const string Before = "using System;\nclass A {}\n";
    private const string After = "using System;\nclass A { }\nclass B { }\n";
    private const string Message = "Retry on 503\n\nCo-authored-by: Claude <noreply@anthropic.com>\n";

    private const string OneReview = "version: 1\ngroups:\n  anyone: { anyone: true }\nrules:\n"
        + "  - name: source changes need a review\n    if: { paths: [\"src/**\"] }\n    require:\n      approvals: [{ group: anyone, count: 1 }]\n";

    private const string TwoReviews = "version: 1\ngroups:\n  anyone: { anyone: true }\nrules:\n"
        + "  - name: the organisation wants two reviews\n    if: { paths: [\"src/**\"] }\n    require:\n      approvals: [{ group: anyone, count: 2 }]\n";

    /// <summary>A repository's file under the organisation's: it adds a rule, using the organisation's group.</summary>
    private const string AddsOneReview = "version: 1\nrules:\n"
        + "  - name: source changes need a review\n    if: { paths: [\"src/**\"] }\n    require:\n      approvals: [{ group: anyone, count: 1 }]\n";

    /// <summary>What the target branch holds now: nothing is required. Read by name, it would pass every change.</summary>
    private const string Permissive = "version: 1\n";

    public static TheoryData<string, string?, string?, string> Rows => new()
    {
        // name, repository's rules at the base commit, organisation's rules, the origin of the rules that gate
        { "the repository's file at the base commit", OneReview, null, "base" },
        { "the organisation's file alone when the repository has none", null, TwoReviews, "organisation" },
        { "the repository's file adds to the organisation's", AddsOneReview, TwoReviews, "base" },
        { "the built-in default when neither has one", null, null, "built-in" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task One_rules_file_and_one_change_give_the_same_decision_on_GitHub_GitLab_and_the_CLI(string name, string? repositoryRules, string? organisationRules, string origin)
    {
        var github = await ThroughGitHubAsync(repositoryRules, organisationRules);
        var gitlab = await ThroughGitLabAsync(repositoryRules, organisationRules);
        var cli = await ThroughCliAsync(repositoryRules, organisationRules);

        Assert.Equal(origin, github.Origin);
        Assert.Equal(github, gitlab with { Path = github.Path });
        Assert.Equal(github, cli with { Path = github.Path });
        if (repositoryRules is not null || organisationRules is not null)
        {
            Assert.True(github.State == DecisionRenderer.Name(DecisionState.Pending), $"{name}: {github}");
        }
    }

    private sealed record Seen(string Origin, string Path, string State, string Title);

    private static async Task<Seen> ThroughGitHubAsync(string? repositoryRules, string? organisationRules)
    {
        const string Head = "1111111111111111111111111111111111111111";
        const string Base = "2222222222222222222222222222222222222222";
        await using var fake = await FakeGitHub.StartAsync();
        var pr = new FakePullRequest { Number = 5, Author = "alice", HeadSha = Head, BaseSha = Base, Title = "Add retry to payments client" };
        pr.AddFile("src/Payments/Client.cs").AddCommit(Head, Message, "alice", "Alice");
        fake.PullRequests[5] = pr;
        fake.Blobs[$"{Base}:src/Payments/Client.cs"] = Before;
        fake.Blobs[$"{Head}:src/Payments/Client.cs"] = After;
        fake.Blobs[$"main:{Path}"] = Permissive;
        if (repositoryRules is not null)
        {
            fake.Blobs[$"{Base}:{Path}"] = repositoryRules;
        }

        if (organisationRules is not null)
        {
            fake.Blobs[$"Codertocat/.github@HEAD:{Path}"] = organisationRules;
        }

        var options = new GitHubOptions { ApiBaseUrl = fake.Address.ToString(), GraphQLUrl = new Uri(fake.Address, "graphql").ToString(), Token = "t" };
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler());
        var api = new GitHubApi(invoker, options, new Credentials("t"), TimeProvider.System, NullLogger.Instance);
        const string Repository = "Codertocat/Hello-World";
        var session = new PlatformSession(
            new GitHubPullRequestSource(api, NullLogger.Instance),
            new GitHubGroupMembership(api, Repository),
            new GitHubEnforcer(api, useCheckRuns: false, NullLogger.Instance),
            GitHubSessionFactory.RulesLocation(api, Repository, options));
        var request = new ReviewRequest { Platform = Platform.GitHub, Repository = Repository, Number = 5, DeliveryId = "d", Event = "pull_request.opened" };
        var outcome = await new EngineReviewEvaluator(new ReviewEngine(new RoslynRiskAnalyzer(TimeProvider.System))).EvaluateAsync(session, await session.Source.LoadAsync(request), []);
        Assert.DoesNotContain(fake.Requests, r => r.Body.Contains($"main:{Path}", StringComparison.Ordinal));
        return Observed(outcome);
    }

    private static async Task<Seen> ThroughGitLabAsync(string? repositoryRules, string? organisationRules)
    {
        await using var fake = await FakeGitLabServer.StartAsync();
        fake.MergeRequest["description"] = "";
        fake.Commits.Clear();
        fake.Commits.Add(System.Text.Json.Nodes.JsonNode.Parse($$"""
            { "id": "{{FakeGitLabServer.HeadSha}}", "title": "Retry on 503", "message": {{JsonSerializer.Serialize(Message)}},
              "author_name": "Alice", "author_email": "alice@example.com", "authored_date": "2026-11-20T10:00:00.000+00:00",
              "committer_name": "Alice", "committer_email": "alice@example.com", "committed_date": "2026-11-20T10:00:00.000+00:00",
              "parent_ids": [ "{{FakeGitLabServer.BaseSha}}" ] }
            """)!.AsObject());
        fake.Diffs.RemoveAll(d => (string?)d["new_path"] != "src/Payments/Client.cs");
        fake.ApprovedBy.Clear();
        fake.Files.Clear();
        fake.Files[(FakeGitLabServer.BaseSha, "src/Payments/Client.cs")] = Before;
        fake.Files[(FakeGitLabServer.HeadSha, "src/Payments/Client.cs")] = After;
        fake.Files[("main", Path)] = Permissive;
        if (repositoryRules is not null)
        {
            fake.Files[(FakeGitLabServer.BaseSha, Path)] = repositoryRules;
        }

        var options = new GitLabOptions { BaseUrl = fake.BaseUri.ToString(), Token = FakeGitLabServer.Token, PolicyProjects = { ["acme"] = "acme/policy" } };
        fake.OtherProjectFiles[("acme/policy", "HEAD", "README.md")] = "the group's policy project\n";
        if (organisationRules is not null)
        {
            fake.OtherProjectFiles[("acme/policy", "HEAD", Path)] = organisationRules;
        }

        using var http = new HttpClient();
        var client = new GitLabClient(http, options, TimeProvider.System);
        var request = new ReviewRequest
        {
            Platform = Platform.GitLab, Repository = FakeGitLabServer.ProjectPath, Number = 7, ProjectId = FakeGitLabServer.ProjectId, DeliveryId = "d", Event = "merge_request.open",
        };
        var session = new PlatformSession(
            new GitLabPullRequestSource(client, options),
            new GitLabGroupMembership(client, options),
            new GitLabEnforcer(client, options, request),
            GitLabSessionFactory.RulesLocation(client, request, options));
        var outcome = await new EngineReviewEvaluator(new ReviewEngine(new RoslynRiskAnalyzer(TimeProvider.System))).EvaluateAsync(session, await session.Source.LoadAsync(request), []);
        Assert.DoesNotContain(fake.Requests, r => r.Path.Contains("/repository/files/", StringComparison.Ordinal) && r.Query == "?ref=main");
        return Observed(outcome);
    }

    private static async Task<Seen> ThroughCliAsync(string? repositoryRules, string? organisationRules)
    {
        using var repo = GitRepoBuilder.Init();
        repo.Write("src/Payments/Client.cs", Before);
        if (repositoryRules is not null)
        {
            repo.Write(Path, repositoryRules);
        }

        repo.Commit("Base");
        repo.CreateBranch("feature", checkout: true);
        repo.Write("src/Payments/Client.cs", After);
        repo.Commit(Message, new GitIdentity("Alice", "alice@example.com"));
        var orgFile = System.IO.Path.Combine(repo.Path, "..", System.IO.Path.GetFileName(repo.Path) + "-org.yml");
        List<string> args = ["check", "--repo", repo.Path, "--base", "main", "--head", "feature", "--format", "json"];
        if (organisationRules is not null)
        {
            await File.WriteAllTextAsync(orgFile, organisationRules);
            args.AddRange(["--org-rules", orgFile]);
        }

        try
        {
            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(ServeProcess.CliDll);
            args.ForEach(start.ArgumentList.Add);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode is 0 or 1, $"exit {process.ExitCode}: {await stderr}");
            using var json = JsonDocument.Parse(await stdout);
            var rules = json.RootElement.GetProperty("rulesSource") is { ValueKind: JsonValueKind.Object } repository ? repository : json.RootElement.GetProperty("organisationRulesSource");
            var decision = json.RootElement.GetProperty("decision");
            return new Seen(rules.GetProperty("origin").GetString()!, rules.GetProperty("path").GetString()!, decision.GetProperty("state").GetString()!, decision.GetProperty("title").GetString()!);
        }
        finally
        {
            File.Delete(orgFile);
        }
    }

    private static Seen Observed(ReviewOutcome outcome)
        => (outcome.Rules ?? outcome.OrganisationRules) is { } rules
            ? new(rules.Origin, rules.Path, DecisionRenderer.Name(outcome.Decision.State), outcome.Decision.Title)
            : throw new InvalidOperationException("no rules were used");
}
