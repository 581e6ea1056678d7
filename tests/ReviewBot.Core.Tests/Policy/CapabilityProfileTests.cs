using ReviewBot.Core.Authorship;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;
using ReviewBot.TestSupport;
using static ReviewBot.Core.Tests.Decisions.PolicyFixtures;

namespace ReviewBot.Core.Tests.Policy;

/// <summary>The juniors' and seniors' agent profiles of rules/examples/agent-profiles.yml, decided as issue 19 asks.</summary>
public sealed class CapabilityProfileTests
{
    private static readonly RulesFile Profiles = RulesParser.Parse(
        File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "rules", "examples", "agent-profiles.yml")), ".github/reviewbot.yml").Rules!;

    private static readonly ResolvedMembership Membership = Teams(
        ("acme/junior-engineers", ["jun"]),
        ("acme/senior-engineers", ["sen", "sam"]),
        ("acme/engineers", ["carol", "jun", "sen"]),
        ("acme/ai-platform", ["ava"]));

    private static AuthorshipVerdict Codex(string? initiator, Confidence confidence = Confidence.High) => new()
    {
        Kind = AuthorshipKind.AiAuthored,
        Agents = ["codex"],
        Initiator = initiator,
        InitiatorConfidence = initiator is null ? null : confidence,
        Initiators = initiator is null ? [] : [new InitiatorClaim(initiator, confidence == Confidence.High ? InitiatorSource.Platform : InitiatorSource.Text, "test")],
        Confidence = Confidence.High,
        Reason = "opened by chatgpt-codex-connector[bot]",
    };

    private static ChangedFile Modified(string path, string? patch = null) => new() { Path = path, Status = FileStatus.Modified, Additions = 3, Patch = patch };

    private static Decision Decide(AuthorshipVerdict authorship, ChangedFile[] files, params Review[] reviews)
        => new PolicyEvaluator().Evaluate(Profiles, Pr(author: "chatgpt-codex-connector[bot]", files: files, reviews: reviews), authorship, new RiskReport { Level = RiskLevel.None }, Membership);

    public static TheoryData<string, string?, string[], string[], DecisionState, string> Table => new()
    {
        // case, initiator, changed files, approvers, state, what the check must say
        { "junior's agent in billing, one engineer", "jun", ["src/Billing/Invoice.cs"], ["carol"], DecisionState.Pending, "capability profile 'juniors' agents' (repository), paths.deny (src/Billing/**, src/Auth/**) exceeded: src/Billing/Invoice.cs changed" },
        { "junior's agent in billing, engineer and senior", "jun", ["src/Billing/Invoice.cs"], ["carol", "sam"], DecisionState.Pass, "initiator jun is a member of group juniors" },
        { "junior's agent: the initiator's own approval does not count", "jun", ["src/Billing/Invoice.cs"], ["jun", "sam"], DecisionState.Pending, "Needs 1 approval from group engineers" },
        { "senior's agent in billing, one independent approval", "sen", ["src/Billing/Invoice.cs"], ["carol"], DecisionState.Pass, "initiator sen is a member of group seniors" },
        { "junior's agent adds a package", "jun", ["package.json"], ["carol", "sam"], DecisionState.Fail, "capability profile 'juniors' agents' (repository) does not allow this: dependencies exceeded: dependency manifest package.json changed" },
        { "senior's agent adds a package", "sen", ["package.json"], ["carol"], DecisionState.Pass, "initiator sen is a member of group seniors" },
        { "junior's agent edits AGENTS.md, engineers only", "jun", ["AGENTS.md"], ["carol", "sam"], DecisionState.Pending, "agent_config exceeded: agent configuration AGENTS.md changed" },
        { "junior's agent edits AGENTS.md, owners approve", "jun", ["AGENTS.md"], ["carol", "ava"], DecisionState.Pass, "group agent-owners" },
        { "senior's agent edits nested AGENTS.md", "sen", ["src/Web/AGENTS.md"], ["carol"], DecisionState.Pending, "agent_config exceeded: agent configuration src/Web/AGENTS.md changed" },
        { "senior's agent edits MCP configuration", "sen", [".vscode/mcp.json"], ["carol", "ava"], DecisionState.Pass, "agent_config exceeded: agent configuration .vscode/mcp.json changed" },
        { "junior's agent edits the rules", "jun", [".github/reviewbot.yml"], ["carol", "sam"], DecisionState.Fail, "rules exceeded: rules file .github/reviewbot.yml changed" },
        { "no initiator: the strictest profile", null, ["src/Billing/Invoice.cs"], ["carol"], DecisionState.Pending, "no initiator identified, so the strictest of the 2 profiles that could apply governs" },
        { "no initiator, package: blocked by the strictest", null, ["package.json"], ["carol", "sam"], DecisionState.Fail, "capability profile 'juniors' agents' (repository) does not allow this" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Profiles_decide_by_who_dispatched_the_agent(string name, string? initiator, string[] files, string[] approvers, DecisionState state, string says)
    {
        var decision = Decide(Codex(initiator), [.. files.Select(f => Modified(f))], [.. approvers.Select((login, i) => ReviewBy(login, ReviewState.Approved, i + 1))]);

        Assert.True(state == decision.State, $"{name}: {decision.State}\n{decision.Summary}");
        var explained = Explained(decision);
        Assert.True(explained.Contains(says, StringComparison.Ordinal), $"{name}: wanted \"{says}\" in\n{explained}");
    }

    /// <summary>What the check says, unescaped: title, rules with reasons, approvals with their rule, blocks.</summary>
    private static string Explained(Decision decision) => string.Join('\n', [
        decision.Title,
        .. decision.Rules.Select(r => $"{r.Name}: {r.Reason}"),
        .. decision.Approvals.Select(a => $"{a.Rule}: {a.Approved} of {a.Required} from {a.From}"),
        .. decision.Blocks.Select(b => $"{b.Rule}: {b.Message}")]);

    [Fact]
    public void A_junior_agent_in_billing_waits_for_the_seniors_and_the_check_names_profile_limit_and_fact()
    {
        var decision = Decide(Codex("jun"), [Modified("src/Billing/Invoice.cs")], ReviewBy("carol", ReviewState.Approved, 1));

        var senior = Assert.Single(decision.Approvals, a => a.Missing > 0);
        Assert.Equal("group seniors", senior.From);
        Assert.Equal("capability profile 'juniors' agents' (repository), paths.deny (src/Billing/**, src/Auth/**) exceeded: src/Billing/Invoice.cs changed", senior.Rule);
        Assert.Equal("Needs 1 approval from group seniors", decision.Title);
        Assert.Contains("acme/senior-engineers", decision.TeamsToRequest);
        Assert.Contains(decision.Labels, l => l == "junior-agent");
    }

    [Fact]
    public void A_claimed_initiator_is_not_identified_so_a_senior_claim_gets_the_strictest_profile()
    {
        var decision = Decide(Codex("sen", Confidence.Low), [Modified("src/Billing/Invoice.cs")], ReviewBy("carol", ReviewState.Approved, 1));

        Assert.Equal(DecisionState.Pending, decision.State);
        var profile = Assert.Single(decision.Rules, r => r.Name == "capability profile 'juniors' agents' (repository)");
        Assert.Equal("agent codex; initiator sen is only claimed (test), not identified by a platform fact, so the strictest of the 2 profiles that could apply governs", profile.Reason);
        Assert.DoesNotContain(decision.Labels, l => l == "junior-agent");
    }

    [Fact]
    public void Human_changes_are_not_governed_by_profiles()
    {
        var decision = new PolicyEvaluator().Evaluate(Profiles, Pr(author: "jun", files: [Modified("package.json")]), Human, new RiskReport { Level = RiskLevel.None }, Membership);

        Assert.Equal(DecisionState.Pass, decision.State);
        Assert.Contains(decision.Rules, r => r is { Name: "capability profiles", Applied: false, Reason: "capability profiles govern AI-involved changes; authorship is human" });
    }

    public static TheoryData<string, string?, string?> DependencyFacts => new()
    {
        { "src/App/App.csproj", "+    <PackageReference Include=\"Newtonsoft.Json\" Version=\"13.0.3\" />", "package line changed in src/App/App.csproj: +    <PackageReference Include=\"Newtonsoft.Json\" Version=\"13.0.3\" />" },
        { "src/App/App.csproj", "+    <Nullable>enable</Nullable>", null },
        { "src/App/App.csproj", null, "src/App/App.csproj changed and its diff is not available, so a package change cannot be ruled out" },
        { "Directory.Packages.props", "-    <PackageVersion Include=\"xunit\" Version=\"2.9.0\" />", "package line changed in Directory.Packages.props: -    <PackageVersion Include=\"xunit\" Version=\"2.9.0\" />" },
        { "src/packages.config", "+  <package id=\"Moq\" version=\"4.20\" />", "package line changed in src/packages.config: +  <package id=\"Moq\" version=\"4.20\" />" },
        { "tools/requirements-dev.txt", "+requests==2.32", "dependency manifest tools/requirements-dev.txt changed" },
        { "go.mod", "+require x v1", "dependency manifest go.mod changed" },
        { "scripts/run.cs", "+#:package Humanizer@2.14.1", "package directive changed in scripts/run.cs: +#:package Humanizer@2.14.1" },
        { "src/App/Program.cs", "+var x = 1;", null },
    };

    [Theory]
    [MemberData(nameof(DependencyFacts))]
    public void Dependency_changes_are_told_from_the_diff(string path, string? patch, string? fact)
        => Assert.Equal(fact, AgentChangeFacts.Dependencies([Modified(path, patch)]));

    [Theory]
    [InlineData("AGENTS.md", true)]
    [InlineData("docs/AGENTS.md", true)]
    [InlineData("CLAUDE.md", true)]
    [InlineData(".github/copilot-instructions.md", true)]
    [InlineData(".cursor/rules/style.mdc", true)]
    [InlineData(".mcp.json", true)]
    [InlineData(".vscode/mcp.json", true)]
    [InlineData(".github/workflows/copilot-setup-steps.yml", true)]
    [InlineData("docs/agents.txt", false)]
    [InlineData(".vscode/settings.json", false)]
    public void Agent_configuration_paths(string path, bool matched)
        => Assert.Equal(matched, AgentChangeFacts.AgentConfigPaths.IsMatch(path));

    [Fact]
    public void Weakened_tests_are_the_RB6003_to_RB6005_findings()
    {
        var pr = Pr(files: [Modified("tests/ATests.cs")]);
        var skipped = new RiskReport { Level = RiskLevel.Medium, Findings = [PolicyContexts.Finding("RB6003", RiskCategories.Tests)] };

        Assert.Equal("RB6003 in src/a.cs:3: m", AgentChangeFacts.Evidence(Capability.WeakenTests, pr, skipped, ".github/reviewbot.yml"));
        Assert.Null(AgentChangeFacts.Evidence(Capability.WeakenTests, pr, new RiskReport { Level = RiskLevel.Medium, Findings = [PolicyContexts.Finding("RB7001", "supply-chain")] }, ".github/reviewbot.yml"));
    }
}
