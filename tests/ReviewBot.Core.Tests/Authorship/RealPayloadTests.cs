using System.Text.Json;
using ReviewBot.Core.Authorship;
using ReviewBot.Core.Snapshot;
using ReviewBot.TestSupport;

namespace ReviewBot.Core.Tests.Authorship;

/// <summary>
/// Real recorded payloads (tests/fixtures, copied byte-for-byte from octokit/webhooks and GitLab sources),
/// mapped into snapshots by hand here, so real identities go through the classifier: a human PR, a commit
/// squashed through the web UI (committer GitHub web-flow), a GitHub App bot, a GitLab MR.
/// </summary>
public sealed class RealPayloadTests
{
    private static JsonElement Load(string path)
        => JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.Fixtures, path))).RootElement;

    private static Person GitHubUser(JsonElement user) => new()
    {
        Login = user.GetProperty("login").GetString(),
        Id = user.GetProperty("id").GetInt64(),
        IsBot = user.GetProperty("type").GetString() == "Bot",
    };

    private static Person GitPerson(JsonElement person) => new()
    {
        Name = person.GetProperty("name").GetString(),
        Email = person.GetProperty("email").GetString(),
    };

    private static PullRequestSnapshot FromGitHub(JsonElement pr, IReadOnlyList<Commit> commits, Person? author = null) => new()
    {
        Platform = Platform.GitHub,
        IdentityFacts = PlatformIdentityFacts.GitHub,
        Repository = "Codertocat/Hello-World",
        Number = pr.GetProperty("number").GetInt64(),
        Title = pr.GetProperty("title").GetString() ?? "",
        Body = pr.GetProperty("body").GetString() ?? "",
        Author = author ?? GitHubUser(pr.GetProperty("user")),
        Assignees = [.. pr.GetProperty("assignees").EnumerateArray().Select(GitHubUser)],
        Labels = [.. pr.GetProperty("labels").EnumerateArray().Select(l => l.GetProperty("name").GetString()!)],
        BaseRef = pr.GetProperty("base").GetProperty("ref").GetString()!,
        BaseSha = pr.GetProperty("base").GetProperty("sha").GetString()!,
        HeadRef = pr.GetProperty("head").GetProperty("ref").GetString()!,
        HeadSha = pr.GetProperty("head").GetProperty("sha").GetString()!,
        Commits = commits,
    };

    /// <summary>The status payload's commit: authored by Codertocat, committed by GitHub web-flow, GitHub-verified.</summary>
    private static Commit StatusCommit()
    {
        var commit = Load("github/status.with-installation.json").GetProperty("commit");
        var git = commit.GetProperty("commit");
        return new Commit
        {
            Sha = commit.GetProperty("sha").GetString()!,
            Author = GitPerson(git.GetProperty("author")) with { Login = commit.GetProperty("author").GetProperty("login").GetString() },
            Committer = GitPerson(git.GetProperty("committer")),
            Message = git.GetProperty("message").GetString()!,
            SignatureVerified = git.GetProperty("verification").GetProperty("verified").GetBoolean(),
        };
    }

    [Fact]
    public void A_human_pull_request_from_a_real_payload_is_human_with_no_initiator()
    {
        var pr = Load("github/pull_request.opened.json").GetProperty("pull_request");
        var verdict = new AuthorshipClassifier().Classify(FromGitHub(pr, [StatusCommit()]));

        Assert.Equal(AuthorshipKind.Human, verdict.Kind);
        Assert.Empty(verdict.Agents);
        Assert.Null(verdict.Initiator);
        Assert.Empty(verdict.Evidence);
        Assert.Equal(Confidence.Medium, verdict.Confidence);
        Assert.Contains("no AI or automation evidence", verdict.Reason);
    }

    [Fact]
    public void The_web_flow_committer_of_a_real_commit_is_neither_ai_nor_automation()
    {
        var commit = StatusCommit();
        Assert.Equal("noreply@github.com", commit.Committer.Email);

        var verdict = new AuthorshipClassifier().ClassifyCommit(commit);

        Assert.Equal(AuthorshipKind.Human, verdict.Kind);
        Assert.Empty(verdict.Evidence);
    }

    [Fact]
    public void A_real_github_app_bot_account_is_automation_unless_listed_as_an_agent()
    {
        var sender = GitHubUser(Load("github/check_suite.rerequested.json").GetProperty("sender"));
        Assert.Equal("octocoders-linter[bot]", sender.Login);
        var pr = Load("github/pull_request.opened.json").GetProperty("pull_request");
        var snapshot = FromGitHub(pr, [StatusCommit()], author: sender);

        // Unknown bot opened it, but the only commit is the human's: the PR is human (automation only when everything is).
        var asIs = new AuthorshipClassifier().Classify(snapshot);
        Assert.Equal(AuthorshipKind.Human, asIs.Kind);
        Assert.Contains(asIs.Evidence, e => e.Signal == "unknown-bot.identity" && e.Location == "pr.author");

        var listed = new AuthorshipClassifier(new AgentCatalogExtension { Logins = ["octocoders-linter[bot]"] }).Classify(snapshot);
        Assert.Equal(AuthorshipKind.AiAuthored, listed.Kind);
        Assert.Equal(["octocoders-linter"], listed.Agents);
        Assert.Equal("Codertocat", listed.Initiator); // the human assignee of an agent-opened PR
    }

    [Fact]
    public void A_real_copilot_style_payload_is_recognised_by_account_id_not_by_the_fixture_names()
    {
        // The octokit example PR, re-authored by the Copilot coding agent's real account (id 198982749, type Bot):
        // the rest of the payload (assignee Codertocat, branch "changes", label "bug") stays as recorded.
        var pr = Load("github/pull_request.opened.json").GetProperty("pull_request");
        var copilot = new Person { Login = "Copilot", Id = 198982749, IsBot = true };
        var verdict = new AuthorshipClassifier().Classify(FromGitHub(pr, [StatusCommit()], author: copilot));

        Assert.Equal(AuthorshipKind.AiAuthored, verdict.Kind);
        Assert.Equal(["copilot-coding-agent"], verdict.Agents);
        Assert.Equal(Confidence.High, verdict.Confidence);
        Assert.Equal("Codertocat", verdict.Initiator);
    }

    [Fact]
    public void A_real_gitlab_merge_request_is_human()
    {
        var hook = Load("gitlab/woodpecker.HookPullRequestOpened.json");
        var mr = hook.GetProperty("object_attributes");
        var user = hook.GetProperty("user");
        var last = mr.GetProperty("last_commit");
        var snapshot = new PullRequestSnapshot
        {
            Platform = Platform.GitLab,
            IdentityFacts = PlatformIdentityFacts.GitLab,
            Repository = hook.GetProperty("project").GetProperty("path_with_namespace").GetString()!,
            Number = mr.GetProperty("iid").GetInt64(),
            Title = mr.GetProperty("title").GetString()!,
            Body = mr.GetProperty("description").GetString() ?? "",
            Author = new Person { Login = user.GetProperty("username").GetString(), Id = user.GetProperty("id").GetInt64() },
            Labels = [.. hook.GetProperty("labels").EnumerateArray().Select(l => l.GetProperty("title").GetString()!)],
            BaseRef = mr.GetProperty("target_branch").GetString()!,
            BaseSha = new string('0', 40),
            HeadRef = mr.GetProperty("source_branch").GetString()!,
            HeadSha = last.GetProperty("id").GetString()!,
            Commits =
            [
                new Commit
                {
                    Sha = last.GetProperty("id").GetString()!,
                    Author = GitPerson(last.GetProperty("author")),
                    Committer = GitPerson(last.GetProperty("author")),
                    Message = last.GetProperty("message").GetString()!,
                },
            ],
        };

        var verdict = new AuthorshipClassifier().Classify(snapshot);

        Assert.Equal(AuthorshipKind.Human, verdict.Kind);
        Assert.Empty(verdict.Evidence);
    }
}
