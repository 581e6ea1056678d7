using ReviewBot.Core.Decisions;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;
using static ReviewBot.Core.Tests.Decisions.PolicyFixtures;

namespace ReviewBot.Core.Tests.Decisions;

public sealed class EnforcementPlannerTests
{
    private static readonly EnforcementPlanner Planner = new();

    private static Finding FindingAt(string path, int line, Side side = Side.Head) => new()
    {
        RuleId = "RB1001",
        Category = "authorization",
        Severity = Severity.High,
        Title = "Authorization removed",
        Message = "[AllowAnonymous] added to a controller",
        Path = path,
        StartLine = line,
        EndLine = line,
        Side = side,
    };

    public static TheoryData<string, CheckOutcome> Outcomes => new()
    {
        { "pass", CheckOutcome.Success },
        { "pending", CheckOutcome.ActionRequired },
        { "fail", CheckOutcome.Failure },
        { "no-rules", CheckOutcome.Neutral },
        { "invalid", CheckOutcome.Failure },
    };

    [Theory]
    [MemberData(nameof(Outcomes))]
    public void Outcome_follows_the_decision_and_no_rules_is_neutral(string situation, CheckOutcome expected)
    {
        var snapshot = Pr(reviews: situation == "pass" ? [ReviewBy("alice", ReviewState.Approved, 1)]
            : situation == "fail" ? [ReviewBy("alice", ReviewState.ChangesRequested, 1)] : []);
        var decision = situation switch
        {
            "no-rules" => PolicyEvaluator.NoRules(),
            "invalid" => PolicyEvaluator.Invalid("r.yml", [new RulesError("r.yml", 1, 1, "bad")]),
            _ => Evaluate(Rules(null, NeedsSeniors()), snapshot),
        };

        var plan = Planner.Plan(snapshot, decision, Human, RiskReport.Empty);

        Assert.Equal(expected, plan.Outcome);
        Assert.Equal(Head, plan.HeadSha);
        Assert.Equal(decision.Title, plan.Title);
        Assert.Equal(expected == CheckOutcome.Neutral, plan.Comment is null);
    }

    [Fact]
    public void Requests_and_labels_only_what_is_not_there_yet()
    {
        var rule = NeedsSeniors(2) with { Labels = ["ai-authored", "needs-senior"] };
        var snapshot = Pr(labels: ["AI-Authored"], requested: ["alice"]);
        var decision = Evaluate(Rules(null, rule), snapshot, AiAuthored());

        var plan = Planner.Plan(snapshot, decision, AiAuthored(), RiskReport.Empty);

        Assert.Equal(["needs-senior"], plan.AddLabels);
        Assert.Equal(["bob"], plan.RequestUsers);
        Assert.Equal(["acme/senior-engineers"], plan.RequestTeams);
        Assert.Same(decision.Approvals, plan.Approvals);
    }

    [Fact]
    public void Head_side_findings_and_head_rules_errors_become_annotations()
    {
        var risk = RiskReport.Empty with
        {
            Level = RiskLevel.High,
            Findings = [FindingAt("src/Web/Api.cs", 12), FindingAt("src/Old.cs", 3, Side.Base), FindingAt("src/A.cs", 4)],
        };
        var decision = PolicyEvaluator.Finish(Evaluate(Rules(null), Pr()) with
        {
            HeadRulesErrors = [new RulesError(".github/reviewbot.yml", 6, 9, "unknown key 'aprovals'")],
        });

        var plan = Planner.Plan(Pr(), decision, Human, risk);

        Assert.Equal(
            [("src/A.cs", 4, "RB1001"), ("src/Web/Api.cs", 12, "RB1001"), (".github/reviewbot.yml", 6, "rules")],
            plan.Annotations.Select(a => (a.Path, a.StartLine, a.RuleId)));
        Assert.Equal(Severity.High, plan.Annotations[0].Severity);
        Assert.Equal("RB1001: Authorization removed", plan.Annotations[0].Title);
    }

    [Fact]
    public void Summary_explains_decision_authorship_and_risk_and_the_comment_is_sticky()
    {
        var snapshot = Pr(reviews: [ReviewBy("mallory", ReviewState.Approved, 1)]);
        var decision = Evaluate(Rules(null, NeedsSeniors(1, "build")), snapshot, AiAuthored("bob"));
        var risk = RiskReport.Empty with { Findings = [FindingAt("src/A.cs", 4)], Level = RiskLevel.High };

        var plan = Planner.Plan(snapshot, decision, AiAuthored("bob"), risk);

        Assert.StartsWith("### ⏳ Needs 1 approval from group seniors", plan.Summary);
        Assert.Contains("**mallory**: not-in-group: approved, but is not in group seniors", plan.Summary);
        Assert.Contains("**Authorship**", plan.Summary);
        Assert.Contains("ai-authored (confidence high)", plan.Summary);
        Assert.Contains("**RB1001 high**: src/A.cs:4", plan.Summary);
        Assert.StartsWith("**ReviewBot**: Needs 1 approval from group seniors", plan.Comment);
        Assert.Contains("- Risk: high (1 finding(s))", plan.Comment);
        Assert.Contains("check build: missing", plan.Comment);
    }
}
