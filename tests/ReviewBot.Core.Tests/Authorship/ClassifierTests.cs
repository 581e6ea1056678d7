using ReviewBot.Core.Authorship;
using ReviewBot.Core.Snapshot;
using static ReviewBot.Core.Tests.Authorship.Build;

namespace ReviewBot.Core.Tests.Authorship;

/// <summary>Whole pull requests: combining commits and metadata, mixed PRs, squash commits, initiators, platforms.</summary>
public sealed class ClassifierTests
{
    private static readonly Person CopilotPrAuthor = Account("Copilot", 198982749, bot: true);
    private static readonly Person CopilotGit = Git("copilot-swe-agent[bot]", "198982749+Copilot@users.noreply.github.com");
    private static readonly Person DependabotGit = Git("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com");
    private static readonly Person ActionsGit = Git("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com");

    private static Commit AgentCommit(string message) => Commit(CopilotGit, message,
        trailers: [CoAuthor("octocat <583231+octocat@users.noreply.github.com>")]);

    public static TheoryData<Case<PullRequestSnapshot>> PullRequests => new()
    {
        new("Copilot coding agent PR: bot author, app, branch, marker; the human assignee dispatched it",
            Pr(CopilotPrAuthor, app: "copilot-swe-agent", headRef: "copilot/fix-login-redirect",
                body: "Fixes #12\n\n<!-- START COPILOT CODING AGENT SUFFIX -->",
                assignees: [Account("Copilot", 198982749, bot: true), Account("octocat", 583231)],
                commits: [AgentCommit("Initial plan"), AgentCommit("Fix the login redirect")]),
            "ai-authored", ["copilot-coding-agent"], "copilot-coding-agent.pr-author", "high", "octocat"),
        new("Copilot coding agent PR without assignees: the requester co-author dispatched it",
            Pr(CopilotPrAuthor, commits: [AgentCommit("Fix")]),
            "ai-authored", ["copilot-coding-agent"], "copilot-coding-agent.pr-author", "high", "octocat"),
        new("mixed PR: one agent commit among human ones cannot hide",
            Pr(commits: [Commit(Ada, "Start"), Commit(Ada, "More"), Commit(CopilotGit, "Agent work"), Commit(Ada, "Polish")]),
            "ai-authored", ["copilot-coding-agent"], "copilot-coding-agent.commit-author", "medium", "bob"),
        new("mixed PR: one Claude-assisted commit among human ones",
            Pr(commits: [Commit(Ada, "Start"), Commit(Ada, "Help", trailers: [CoAuthor("Claude <noreply@anthropic.com>")])]),
            "ai-assisted", ["claude-code"], "claude-code.co-author-trailer", "medium", "ada"),
        new("AI only in the commits of a human's PR: the initiator is who ran the tool, not the PR author",
            Pr(Account("bob", 555), commits: [Commit(Ada, "Fix", trailers: [CoAuthor("Copilot <223556219+Copilot@users.noreply.github.com>")])]),
            "ai-assisted", ["copilot"], null, null, "ada"),
        new("AI in the PR metadata of a human's PR: the PR author dispatched it",
            Pr(Account("bob", 555), headRef: "codex/x", labels: ["codex"], commits: [Commit(Ada, "Fix")]),
            "ai-authored", ["codex"], null, "medium", "bob"),
        new("Dependabot PR: everything automation",
            Pr(Account("dependabot[bot]", 49699333, bot: true), headRef: "dependabot/nuget/Newtonsoft.Json-13.0.3",
                commits: [Commit(DependabotGit, "Bump Newtonsoft.Json from 13.0.1 to 13.0.3")]),
            "automation", [], "dependabot.pr-author", "high", "-"),
        new("Dependabot PR with a human fix commit is human (automation only when everything is)",
            Pr(Account("dependabot[bot]", 49699333, bot: true), headRef: "dependabot/nuget/x-1",
                commits: [Commit(DependabotGit, "Bump x"), Commit(Ada, "Fix the build after the bump")]),
            "human", [], null, "medium", "-"),
        new("Renovate PR by app",
            Pr(Account("renovate[bot]", 29139614, bot: true), app: "renovate", headRef: "renovate/xunit-monorepo",
                commits: [Commit(Git("Renovate Bot", "renovate@whitesourcesoftware.com"), "chore(deps): update xunit")]),
            "automation", [], "renovate.pr-app", "high"),
        new("bot PR plus AI fix: github-actions PR whose fix commit Claude co-wrote with a human",
            Pr(Account("github-actions[bot]", 41898282, bot: true), headRef: "deps/cocoa",
                commits: [Commit(ActionsGit, "chore(deps): update Cocoa SDK"),
                    Commit(ActionsGit, "fix build", trailers: [CoAuthor("Claude Opus 5 <noreply@anthropic.com>"), CoAuthor("Ada <12345+ada@users.noreply.github.com>")])]),
            "ai-assisted", ["claude-code"], "claude-code.co-author-trailer", "medium", "ada"),
        new("unknown bot PR is automation",
            Pr(Account("acme-release[bot]", 99, bot: true), commits: [Commit(Git("acme-release[bot]", "99+acme-release[bot]@users.noreply.github.com"), "Release")]),
            "automation", [], "unknown-bot.identity", "medium"),
        new("squash-merged Copilot commit in a local range: ai-authored by its author identity",
            Pr(Person.Unknown, platform: Platform.Local, headRef: "main",
                commits: [Commit(Git("Copilot", "198982749+Copilot@users.noreply.github.com"), "Fix (#812)", committer: WebFlow,
                    trailers: [CoAuthor("ada <12345+ada@users.noreply.github.com>")])]),
            "ai-authored", ["copilot-coding-agent"], "copilot-coding-agent.commit-author", "medium", "ada"),
        new("squash where a maintainer changed the author to a human: the agent co-author trailer remains",
            Pr(Person.Unknown, platform: Platform.Local, headRef: "main",
                commits: [Commit(Ada, "Fix (#813)", committer: WebFlow,
                    trailers: [CoAuthor("copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>")])]),
            "ai-authored", ["copilot-coding-agent"], "copilot-coding-agent.co-author-trailer", "medium", "ada"),
        new("local range with no commits is human", Pr(Person.Unknown, platform: Platform.Local, commits: []), "human", [], null, "medium", "-"),
        new("local range of automation commits is automation (no PR author votes)",
            Pr(Person.Unknown, platform: Platform.Local, commits: [Commit(DependabotGit, "Bump a"), Commit(DependabotGit, "Bump b")]),
            "automation", [], "dependabot.commit-author"),
        new("GitLab: a human may pick the username Copilot; it is not the agent",
            Pr(Account("Copilot", 198982749), platform: Platform.GitLab), "human", []),
        new("GitLab: a bot account with an agent login is trusted",
            Pr(Account("devin-ai-integration[bot]", 7, bot: true), platform: Platform.GitLab), "ai-authored", ["devin"], "devin.pr-author"),
        new("GraphQL / gh spelling app/copilot-swe-agent with the human assignee",
            Pr(Account("app/copilot-swe-agent", bot: true), assignees: [Account("Copilot", bot: true), Account("AB12CD_ing")]),
            "ai-authored", ["copilot-coding-agent"], "copilot-coding-agent.pr-author", "high", "AB12CD_ing"),
        new("app/dependabot", Pr(Account("app/dependabot", bot: true), commits: [Commit(DependabotGit, "Bump")]),
            "automation", [], "dependabot.pr-author"),
        new("GitHub: the login of an agent on another account id is not the agent",
            Pr(Account("Copilot", 12345)), "human", []),
        new("an uncorroborated branch convention names no agent beside real evidence",
            Pr(Person.Unknown, platform: Platform.Local, headRef: "codex/fix-x",
                commits: [Commit(Ada, "b", trailers: [CoAuthor("Claude Opus 4.6 <noreply@anthropic.com>")]), AgentCommit("c"), Commit(DependabotGit, "Bump d")]),
            "ai-authored", ["claude-code", "copilot-coding-agent"], "codex.branch", "medium", "ada"),
        new("GitHub resolves claude[bot]'s rare address to github-actions' account; the exact address says Claude",
            Pr(commits: [Commit(Git("claude[bot]", "41898282+claude[bot]@users.noreply.github.com") with { Login = "github-actions[bot]", Id = 41898282, IsBot = true }, "Fix")]),
            "ai-authored", ["claude-code"], "claude-code-action.commit-author"),
        new("a commit GitHub resolved to the Copilot account by id", Pr(commits: [Commit(Git("Copilot", "198982749+Copilot@users.noreply.github.com") with { Login = "Copilot", Id = 198982749, IsBot = true }, "Fix")]),
            "ai-authored", ["copilot-coding-agent"], "copilot-coding-agent.commit-author"),
        new("several agents are all named",
            Pr(commits: [Commit(Ada, "a", trailers: [CoAuthor("Claude <noreply@anthropic.com>")]), Commit(Ada, "b", trailers: [T("Made-with", "Cursor")])]),
            "ai-assisted", ["claude-code", "cursor"]),
    };

    [Theory]
    [MemberData(nameof(PullRequests))]
    public void Pull_request(Case<PullRequestSnapshot> row) => Expect.Pr(row, row.Input);

    [Fact]
    public void Reviews_by_ai_reviewers_are_not_authorship()
    {
        var snapshot = Pr() with
        {
            Reviews =
            [
                new Review { Reviewer = Account("Copilot", 198982749, bot: true), State = ReviewState.Commented },
                new Review { Reviewer = Account("copilot-pull-request-reviewer[bot]", bot: true), State = ReviewState.Commented },
                new Review { Reviewer = Account("chatgpt-codex-connector[bot]", 199175422, bot: true), State = ReviewState.Commented },
                new Review { Reviewer = Account("coderabbitai[bot]", 136622811, bot: true), State = ReviewState.Approved },
            ],
            RequestedReviewers = ["Copilot"],
        };

        var verdict = new AuthorshipClassifier().Classify(snapshot);

        Assert.Equal(AuthorshipKind.Human, verdict.Kind);
        Assert.Empty(verdict.Evidence);
    }

    [Fact]
    public void A_human_verdict_over_partial_automation_says_so()
    {
        var verdict = new AuthorshipClassifier().Classify(Pr(Account("dependabot[bot]", 49699333, bot: true),
            commits: [Commit(DependabotGit, "Bump x"), Commit(Ada, "Fix the build after the bump")]));

        Assert.Equal(AuthorshipKind.Human, verdict.Kind);
        Assert.StartsWith("human: no AI evidence; automation (dependabot) made only part of it, 1 of 2 commits are human", verdict.Reason);
    }

    [Fact]
    public void Agent_configuration_files_in_the_change_are_not_authorship()
    {
        string[] paths = [".codex/config.toml", "AGENTS.md", "CLAUDE.md", ".github/copilot-instructions.md", ".cursor/rules/style.mdc"];
        var snapshot = Pr(commits: [Commit(Ada, "Add agent instructions"), Commit(Ada, "Apply suggestions from code review")]) with
        {
            Files = [.. paths.Select(p => new ChangedFile { Path = p, Status = FileStatus.Added, Additions = 10 })],
        };

        var verdict = new AuthorshipClassifier().Classify(snapshot);

        Assert.Equal(AuthorshipKind.Human, verdict.Kind);
        Assert.Empty(verdict.Evidence);
    }

    [Fact]
    public void Every_commit_is_classified_and_its_evidence_repeated_on_the_verdict()
    {
        var snapshot = Pr(commits: [Commit(Ada, "Start"), Commit(CopilotGit, "Agent work")]);
        var verdict = new AuthorshipClassifier().Classify(snapshot);

        Assert.Equal(snapshot.Commits.Select(c => c.Sha), verdict.Commits.Select(c => c.Sha));
        Assert.Equal([AuthorshipKind.Human, AuthorshipKind.AiAuthored], verdict.Commits.Select(c => c.Kind));
        Assert.All(verdict.Commits.SelectMany(c => c.Evidence), e => Assert.Contains(e, verdict.Evidence));
        Assert.Contains("AI in 1 of 2 commits", verdict.Reason);
    }

    [Fact]
    public void The_same_snapshot_gives_the_same_verdict()
    {
        var snapshot = Pr(CopilotPrAuthor, commits: [AgentCommit("Fix")], headRef: "copilot/x");
        var a = new AuthorshipClassifier().Classify(snapshot);
        var b = new AuthorshipClassifier().Classify(snapshot);
        Assert.Equal(ReviewBot.Core.Serialization.ReviewBotJson.Compact is var o ? System.Text.Json.JsonSerializer.Serialize(a, o) : "",
            System.Text.Json.JsonSerializer.Serialize(b, ReviewBot.Core.Serialization.ReviewBotJson.Compact));
    }

    [Fact]
    public void Commit_location_names_the_short_sha()
    {
        var commit = Commit(Ada, "x", trailers: [CoAuthor("Claude <noreply@anthropic.com>")]);
        var evidence = Assert.Single(new AuthorshipClassifier().ClassifyCommit(commit).Evidence);
        Assert.Equal($"commit {commit.Sha[..7]} trailer", evidence.Location);
        Assert.Equal("Co-authored-by: Claude <noreply@anthropic.com>", evidence.Matched);
        Assert.Equal(SignalStrength.Medium, evidence.Strength);
        Assert.Equal(AuthorshipKind.AiAssisted, evidence.Implies);
    }
}
