using System.Text.Json;
using ReviewBot.Core.Authorship;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Pipeline;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Ports;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Serialization;
using ReviewBot.Core.Snapshot;
using static ReviewBot.Core.Tests.Decisions.PolicyFixtures;

namespace ReviewBot.Core.Tests.Policy;

/// <summary>
/// <c>mode: enforce | warn | evaluate</c>: a watched rule is shown (warn) or recorded (evaluate) and never changes the
/// conclusion, the requirements, the review requests or the labels; and the built-in policy's safe default.
/// </summary>
public sealed class RuleModeTests
{
    private static string Rules(string mode) => $$"""
        version: 1
        groups:
          security: { users: [sec] }
        rules:
          - name: everything needs a build
            require: { checks: [build] }
          - name: security watches AI changes
            {{mode}}
            if: { authorship: [ai-authored, ai-assisted] }
            require:
              approvals: [{ group: security }]
              checks: [codeql]
            block: not yet
            labels: [security-watch]
            request: { users: [sec-lead] }
        """;

    private static Decision Decide(string mode)
    {
        var parsed = RulesParser.Parse(Rules(mode), "r.yml");
        Assert.True(parsed.IsValid, string.Join("\n", parsed.Errors));
        return new PolicyEvaluator().Evaluate(parsed.Rules!, Pr(checks: [Passed("build")]), AiAuthored(), RiskReport.Empty);
    }

    public static TheoryData<string, DecisionState, int, bool, bool> Modes => new()
    {
        // mode line, conclusion, approvals required, shown in the summary, labels / requests / blocks
        { "", DecisionState.Fail, 1, true, true },
        { "mode: enforce", DecisionState.Fail, 1, true, true },
        { "mode: warn", DecisionState.Pass, 0, true, false },
        { "mode: evaluate", DecisionState.Pass, 0, false, false },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public void Only_enforced_rules_change_the_decision(string mode, DecisionState state, int approvals, bool shown, bool acts)
    {
        var decision = Decide(mode);

        Assert.Equal(state, decision.State);
        Assert.Equal(approvals, decision.Approvals.Count);
        Assert.Equal(acts ? 1 : 0, decision.Blocks.Count);
        Assert.Equal(acts ? ["security-watch"] : [], decision.Labels);
        Assert.Equal(acts, decision.ReviewersToRequest.Contains("sec-lead"));
        Assert.Equal(acts, decision.Checks.Any(c => c.Pattern == "codeql"));
        Assert.Equal(shown, decision.Summary.Contains("security watches AI changes", StringComparison.Ordinal));

        // The decision as the audit log keeps it holds every rule, whatever its mode.
        var json = JsonSerializer.Serialize(decision, ReviewBotJson.Compact);
        Assert.Contains("\"name\":\"security watches AI changes\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_warn_rule_says_in_the_summary_what_it_would_demand()
    {
        var decision = Decide("mode: warn");

        Assert.Equal("All requirements met (1 of 1 rule applied)", decision.Title);
        var rule = Assert.Single(decision.Rules, r => r.Mode == RuleMode.Warn);
        Assert.Equal(["blocked: not yet", "0 of 1 approval(s) from group security", "check codeql: missing"], rule.Unmet);
        Assert.Contains("**security watches AI changes**: warn only, not enforced; applied, would not pass (repository)", decision.Summary, StringComparison.Ordinal);
        Assert.Contains("  - 0 of 1 approval(s) from group security", decision.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void An_evaluate_rule_is_recorded_with_what_it_would_demand_but_not_shown()
    {
        var decision = Decide("mode: evaluate");

        var rule = Assert.Single(decision.Rules, r => r.Mode == RuleMode.Evaluate);
        Assert.True(rule.Applied);
        Assert.Equal(3, rule.Unmet.Count);
        Assert.DoesNotContain("security", decision.Summary, StringComparison.Ordinal);
        var json = JsonSerializer.Serialize(decision, ReviewBotJson.Compact);
        Assert.Contains("\"mode\":\"evaluate\"", json, StringComparison.Ordinal);
        Assert.Contains("0 of 1 approval(s) from group security", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_watched_rule_that_does_not_apply_has_nothing_unmet()
    {
        var parsed = RulesParser.Parse(Rules("mode: warn"), "r.yml").Rules!;
        var decision = new PolicyEvaluator().Evaluate(parsed, Pr(checks: [Passed("build")]), Human, RiskReport.Empty);

        var rule = Assert.Single(decision.Rules, r => r.Mode == RuleMode.Warn);
        Assert.False(rule.Applied);
        Assert.Empty(rule.Unmet);
        Assert.Equal(DecisionState.Pass, decision.State);
    }

    [Theory]
    [InlineData("mode: warning", "r.yml:8:11: unknown mode 'warning'; allowed: enforce, warn, evaluate")]
    [InlineData("mode: [warn]", "r.yml:8:11: 'mode' must be a text value; got a list")]
    [InlineData("mode: Enforce", "r.yml:8:11: unknown mode 'Enforce'; allowed: enforce, warn, evaluate (did you mean 'enforce'?)")]
    public void A_bad_mode_is_a_positioned_error_naming_the_allowed_values(string mode, string expected)
    {
        var parsed = RulesParser.Parse(Rules(mode), "r.yml");

        Assert.Equal([expected], parsed.Errors.Select(e => e.ToString()));
    }

    // ---- the built-in policy: an independent human approval for every AI-involved change -------

    private sealed class NoTeams : IGroupMembership
    {
        public Task<IReadOnlyCollection<string>> GetMembersAsync(string team, CancellationToken cancellationToken = default)
            => Task.FromResult<IReadOnlyCollection<string>>([]);
    }

    /// <summary>Bob's pull request, its commit co-authored by Claude Code (the CLI's trailer), with the given reviews.</summary>
    private static async Task<ReviewOutcome> ClaudeCodeCoAuthored(params Review[] reviews)
    {
        var snapshot = Pr(
            author: "bob",
            reviews: reviews,
            commits: [GitCommit("Bob", "bob@example.com", new Trailer("Co-authored-by", "Claude <noreply@anthropic.com>"))],
            files: [new ChangedFile { Path = "src/a.cs", Status = FileStatus.Modified, Additions = 3 }]);
        var builtIn = new RulesSource { Path = DefaultPolicy.Path, Revision = "built-in", Text = DefaultPolicy.Text, Origin = DefaultPolicy.Origin };
        return await new ReviewEngine(NullRiskAnalyzer.Instance).EvaluateAsync(snapshot, builtIn, new NoTeams());
    }

    [Fact]
    public async Task Under_the_built_in_policy_a_claude_code_co_authored_change_is_pending_until_an_independent_human_approves()
    {
        var unreviewed = await ClaudeCodeCoAuthored();
        var selfApproved = await ClaudeCodeCoAuthored(ReviewBy("bob", ReviewState.Approved, 1));
        var approved = await ClaudeCodeCoAuthored(ReviewBy("bob", ReviewState.Approved, 1), ReviewBy("carol", ReviewState.Approved, 2));

        Assert.Equal(AuthorshipKind.AiAssisted, unreviewed.Authorship.Kind);
        Assert.Contains("claude-code", unreviewed.Authorship.Agents);
        Assert.Equal(DecisionState.Pending, unreviewed.Decision.State);
        Assert.Equal(["ai-assisted"], unreviewed.Decision.Labels);
        Assert.Equal("Needs 1 approval from group reviewers (any reviewer)", unreviewed.Decision.Title);
        Assert.Equal(DecisionState.Pending, selfApproved.Decision.State);
        Assert.Equal(ReviewerVerdict.Author, Assert.Single(Assert.Single(selfApproved.Decision.Approvals).Reviewers).Verdict);
        Assert.Equal(DecisionState.Pass, approved.Decision.State);
    }

    [Fact]
    public void The_built_in_policy_asks_two_independent_approvals_of_a_high_risk_ai_assisted_change()
    {
        var assisted = new AuthorshipVerdict { Kind = AuthorshipKind.AiAssisted, Agents = ["claude-code"], Confidence = Confidence.Medium, Reason = "Co-authored-by trailer" };
        var decision = new PolicyEvaluator().Evaluate(
            DefaultPolicy.Rules, Pr(author: "bob", reviews: [ReviewBy("carol", ReviewState.Approved, 1)]), assisted, new RiskReport { Level = RiskLevel.High });

        Assert.Equal(DecisionState.Pending, decision.State);
        Assert.Equal(2, decision.Approvals.Max(a => a.Required));
        Assert.Equal(["ai-assisted", "high-risk"], decision.Labels);
    }
}
