using ReviewBot.Core.Authorship;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;
using ReviewBot.TestSupport;
using static ReviewBot.Core.Tests.Decisions.PolicyFixtures;

namespace ReviewBot.Core.Tests.Policy;

/// <summary>The shipped policies, parsed from their YAML, decide as their comments promise.</summary>
public sealed class ParsedPolicyEvaluationTests
{
    private static readonly AuthorshipVerdict AiAssisted = new() { Kind = AuthorshipKind.AiAssisted, Confidence = Confidence.Medium, Reason = "Co-authored-by trailer" };

    private static Decision Decide(RulesFile rules, PullRequestSnapshot pr, AuthorshipVerdict authorship, RiskLevel risk = RiskLevel.None, ResolvedMembership? membership = null)
        => new PolicyEvaluator().Evaluate(rules, pr, authorship, new RiskReport { Level = risk }, membership);

    private static ChangedFile Modified(string path) => new() { Path = path, Status = FileStatus.Modified, Additions = 3 };

    [Fact]
    public void Default_policy_leaves_human_changes_alone()
    {
        var decision = Decide(DefaultPolicy.Rules, Pr(files: [Modified("src/a.cs")]), Human);

        Assert.Equal(DecisionState.Pass, decision.State);
        Assert.Empty(decision.Labels);
        Assert.All(decision.Rules, r => Assert.False(r.Applied));
        Assert.Equal("authorship is human, not ai-authored", decision.Rules[0].Reason);
    }

    [Fact]
    public void Default_policy_holds_ai_authored_changes_for_a_reviewer_who_is_not_the_initiator()
    {
        var rules = DefaultPolicy.Rules;
        var waiting = Decide(rules, Pr(author: "copilot-swe-agent[bot]", files: [Modified("src/a.cs")]), AiAuthored(initiator: "dev"));
        Assert.Equal(DecisionState.Pending, waiting.State);
        Assert.Equal(["ai-authored"], waiting.Labels);
        Assert.Equal(1, Assert.Single(waiting.Approvals).Missing);

        var initiatorOnly = Decide(rules, Pr(author: "copilot-swe-agent[bot]", files: [Modified("src/a.cs")], reviews: [ReviewBy("dev", ReviewState.Approved, 1)]), AiAuthored(initiator: "dev"));
        Assert.Equal(DecisionState.Pending, initiatorOnly.State);
        Assert.Equal(ReviewerVerdict.Initiator, Assert.Single(Assert.Single(initiatorOnly.Approvals).Reviewers).Verdict);

        var approved = Decide(rules, Pr(author: "copilot-swe-agent[bot]", files: [Modified("src/a.cs")], reviews: [ReviewBy("carol", ReviewState.Approved, 2)]), AiAuthored(initiator: "dev"));
        Assert.Equal(DecisionState.Pass, approved.State);
    }

    [Fact]
    public void Default_policy_wants_two_approvals_for_ai_changes_to_ci_and_high_risk()
    {
        var rules = DefaultPolicy.Rules;
        var oneApproval = new[] { ReviewBy("carol", ReviewState.Approved, 1) };

        var workflow = Decide(rules, Pr(author: "copilot-swe-agent[bot]", files: [Modified(".github/workflows/ci.yml")], reviews: oneApproval), AiAuthored());
        Assert.Equal(DecisionState.Pending, workflow.State);
        Assert.Contains(workflow.Rules, r => r is { Name: "AI changes to CI or to these rules need two approvals", Applied: true });

        var risky = Decide(rules, Pr(author: "dev", files: [Modified("src/a.cs")], reviews: oneApproval), AiAssisted, RiskLevel.High);
        Assert.Equal(DecisionState.Pending, risky.State);
        Assert.Equal(["ai-assisted", "high-risk"], risky.Labels);
    }

    [Fact]
    public void Issue_sketch_blocks_agents_on_workflows_and_asks_security_for_risky_changes()
    {
        var text = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "rules", "examples", "issue-sketch.yml"));
        var rules = RulesParser.Parse(text, "issue-sketch.yml").Rules!;
        var membership = Teams(("acme/senior-engineers", ["sam"]), ("acme/appsec", ["sec"]));

        var blocked = Decide(rules, Pr(files: [Modified(".github/workflows/ci.yml")]), AiAuthored(), membership: membership);
        Assert.Equal(DecisionState.Fail, blocked.State);
        Assert.Equal("AI agents may not change CI workflows", Assert.Single(blocked.Blocks).Message);

        var risky = Decide(
            rules,
            Pr(files: [Modified("src/a.cs")], reviews: [ReviewBy("sam", ReviewState.Approved, 1)], checks: [Passed("build"), Passed("test")]),
            AiAuthored(),
            RiskLevel.Critical,
            membership);
        Assert.Equal(DecisionState.Pending, risky.State);
        Assert.Equal(["group seniors", "group security"], risky.Approvals.Select(a => a.From));
        Assert.True(risky.Approvals[0].Satisfied);
        Assert.False(risky.Approvals[1].Satisfied);
    }
}
