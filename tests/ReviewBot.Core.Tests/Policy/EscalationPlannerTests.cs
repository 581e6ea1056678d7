using ReviewBot.Core.Decisions;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;
using static ReviewBot.Core.Tests.Decisions.PolicyFixtures;

namespace ReviewBot.Core.Tests.Policy;

/// <summary>Which escalation clocks run: an applied rule with <c>escalate:</c>, its own requirement unmet, the change ready.</summary>
public sealed class EscalationPlannerTests
{
    private static readonly RulesFile Rules = RulesParser.Parse("""
        version: 1
        groups:
          engineers: { users: [carol, dan] }
          seniors: { users: [sam] }
        rules:
          - name: reviewed
            if: { authorship: ai-authored }
            require: { approvals: [{ group: engineers }], checks: [build] }
            escalate: { after: 24h, to: seniors }
          - name: labelled
            require: { approvals: [{ group: seniors }] }
        """, "r.yml").Rules!;

    private static IReadOnlyList<EscalationWait> Waiting(PullRequestSnapshot pr)
        => EscalationPlanner.Waiting(Rules, new PolicyEvaluator().Evaluate(Rules, pr, AiAuthored(), new RiskReport { Level = RiskLevel.None }), pr);

    private static readonly ChangedFile[] Files = [new() { Path = "src/a.cs", Status = FileStatus.Modified, Additions = 1 }];

    [Fact]
    public void A_ready_change_with_the_requirement_unmet_waits_with_the_reason()
    {
        var wait = Assert.Single(Waiting(Pr(files: Files)));

        Assert.Equal("reviewed", wait.Rule);
        Assert.Equal(new Escalation(TimeSpan.FromHours(24), "seniors") { Position = wait.Escalation.Position }, wait.Escalation);
        Assert.Equal(["sam"], wait.Group.Users);
        Assert.Equal("1 approval(s) from group engineers missing; check build missing", wait.Unmet);
    }

    [Fact]
    public void A_draft_does_not_wait()
        => Assert.Empty(Waiting(Pr(files: Files) with { Draft = true }));

    [Fact]
    public void Only_the_rules_own_requirement_counts()
    {
        // "reviewed" is met; "labelled" (no escalate) is not, so the decision is pending but nothing waits.
        var pr = Pr(files: Files, reviews: [ReviewBy("carol", ReviewState.Approved, 1)], checks: [Passed("build")]);
        Assert.Equal(DecisionState.Pending, new PolicyEvaluator().Evaluate(Rules, pr, AiAuthored(), new RiskReport { Level = RiskLevel.None }).State);
        Assert.Empty(Waiting(pr));
    }

    [Fact]
    public void A_rule_that_does_not_apply_does_not_wait()
        => Assert.Empty(EscalationPlanner.Waiting(Rules, new PolicyEvaluator().Evaluate(Rules, Pr(files: Files), Human, new RiskReport { Level = RiskLevel.None }), Pr(files: Files)));

    [Fact]
    public void A_fired_escalation_requests_the_groups_review_and_says_so()
    {
        var pr = Pr(files: Files);
        // "labelled" requests sam already; without it only the engineers are asked until the escalation.
        var evaluated = new PolicyEvaluator().Evaluate(Rules, pr, AiAuthored(), new RiskReport { Level = RiskLevel.None });
        Assert.Equal(["carol", "dan", "sam"], evaluated.ReviewersToRequest);
        Assert.Equal(["carol", "dan", "sam"], EscalationPlanner.Escalate(evaluated, EscalationPlanner.Waiting(Rules, evaluated, pr), ["reviewed"], pr).ReviewersToRequest);
        var decision = evaluated with { ReviewersToRequest = ["carol", "dan"] };

        var escalated = EscalationPlanner.Escalate(decision, EscalationPlanner.Waiting(Rules, decision, pr), ["reviewed"], pr);

        Assert.Equal(["carol", "dan", "sam"], escalated.ReviewersToRequest);
        Assert.Equal("escalated to seniors after 1d unmet (rule \"reviewed\": 1 approval(s) from group engineers missing; check build missing)", escalated.Notes[^1]);
        Assert.Equal(decision.State, escalated.State);
    }

    [Fact]
    public void Nothing_is_escalated_without_a_fired_clock_or_once_the_rule_is_met_or_to_the_author()
    {
        var pr = Pr(files: Files);
        var decision = new PolicyEvaluator().Evaluate(Rules, pr, AiAuthored(), new RiskReport { Level = RiskLevel.None });
        Assert.Same(decision, EscalationPlanner.Escalate(decision, EscalationPlanner.Waiting(Rules, decision, pr), [], pr));

        // Fired, then met: no clock waits any more, so nothing is requested.
        var met = Pr(files: Files, reviews: [ReviewBy("carol", ReviewState.Approved, 1)], checks: [Passed("build")]);
        var metDecision = new PolicyEvaluator().Evaluate(Rules, met, AiAuthored(), new RiskReport { Level = RiskLevel.None });
        Assert.Same(metDecision, EscalationPlanner.Escalate(metDecision, EscalationPlanner.Waiting(Rules, metDecision, met), ["reviewed"], met));

        var bySam = pr with { Author = new Person { Login = "Sam" } };
        var samDecision = new PolicyEvaluator().Evaluate(Rules, bySam, AiAuthored(), new RiskReport { Level = RiskLevel.None });
        var escalated = EscalationPlanner.Escalate(samDecision, EscalationPlanner.Waiting(Rules, samDecision, bySam), ["reviewed"], bySam);
        Assert.DoesNotContain("sam", escalated.ReviewersToRequest, StringComparer.OrdinalIgnoreCase);
        Assert.StartsWith("escalated to seniors", escalated.Notes[^1]);
    }
}
