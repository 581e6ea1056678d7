using ReviewBot.Core.Authorship;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Snapshot;
using static ReviewBot.Core.Tests.Decisions.PolicyFixtures;

namespace ReviewBot.Core.Tests.Decisions;

public sealed class PolicyEvaluationTests
{
    private static PolicyRule RequireChecks(params string[] checks)
        => RequireChecks([.. checks.Select(c => new CheckRequirement { Pattern = c })]);

    private static PolicyRule RequireChecks(params CheckRequirement[] checks)
        => new() { Name = "checks", Require = new Requirements { Checks = checks } };

    [Fact]
    public void Each_rule_is_applied_or_skipped_with_the_conditions_reason()
    {
        var isAi = new TestCondition(c => c.Authorship.Kind == AuthorshipKind.AiAuthored, "authorship is ai-authored");
        var rules = Rules(null,
            new PolicyRule { Name = "ai", If = isAi, Labels = ["ai"] },
            new PolicyRule { Name = "never", If = TestCondition.Never, Block = "not reached" },
            new PolicyRule { Name = "always", Labels = ["reviewed-by-bot"] });

        var decision = Evaluate(rules, Pr(), AiAuthored());

        Assert.Equal(
            [("ai", true, "authorship is ai-authored"), ("never", false, "test condition did not match"), ("always", true, "no condition: always applies")],
            decision.Rules.Select(r => (r.Name, r.Applied, r.Reason)));
        Assert.Equal(["ai", "reviewed-by-bot"], decision.Labels);
        Assert.Empty(decision.Blocks);
        Assert.Equal(DecisionState.Pass, decision.State);
        Assert.Equal("All requirements met (2 of 3 rules applied)", decision.Title);
        Assert.Equal(".github/reviewbot.yml", decision.RulesPath);
    }

    [Fact]
    public void Skipped_rules_demand_nothing()
    {
        var rule = NeedsSeniors(3, "build") with { If = TestCondition.Never };
        var decision = Evaluate(Rules(null, rule), Pr());

        Assert.Empty(decision.Approvals);
        Assert.Empty(decision.Checks);
        Assert.Equal(DecisionState.Pass, decision.State);
        Assert.Equal("No rule applies to this change", decision.Title);
    }

    [Fact]
    public void Conditions_see_resolved_group_members()
    {
        var byAuthorGroup = new TestCondition(c => c.GroupMembers["seniors"].Contains(c.Snapshot.Author.Login!), "author is in group seniors");
        var decision = Evaluate(Rules(null, new PolicyRule { Name = "seniors' changes", If = byAuthorGroup, Labels = ["senior"] }),
            Pr(author: "carol"), membership: Teams(("acme/senior-engineers", ["carol"])));

        Assert.True(Assert.Single(decision.Rules).Applied);
    }

    [Fact]
    public void A_block_fails_with_its_message_as_title()
    {
        var rules = Rules(null,
            new PolicyRule { Name = "workflows", If = TestCondition.Always, Block = "AI agents may not change CI workflows" },
            NeedsSeniors());
        var decision = Evaluate(rules, Pr(reviews: [ReviewBy("alice", ReviewState.Approved, 1)]), AiAuthored());

        Assert.Equal(DecisionState.Fail, decision.State);
        Assert.Equal("Blocked: AI agents may not change CI workflows", decision.Title);
        Assert.Equal(new BlockResult("workflows", "AI agents may not change CI workflows"), Assert.Single(decision.Blocks));
    }

    public static TheoryData<string, CheckResult[], CheckRequirementState> CheckCases => new()
    {
        { "build", [Passed("build")], CheckRequirementState.Passed },
        { "build", [Check("build", CheckStatus.Completed, CheckConclusion.Neutral)], CheckRequirementState.Passed },
        { "build", [Check("build", CheckStatus.Completed, CheckConclusion.Skipped)], CheckRequirementState.Passed },
        { "build", [Check("build", CheckStatus.Completed, CheckConclusion.Failure)], CheckRequirementState.Failed },
        { "build", [Check("build", CheckStatus.Completed, CheckConclusion.Cancelled)], CheckRequirementState.Failed },
        { "build", [Check("build", CheckStatus.Completed, CheckConclusion.TimedOut)], CheckRequirementState.Failed },
        { "build", [Check("build", CheckStatus.Completed, CheckConclusion.ActionRequired)], CheckRequirementState.Failed },
        { "build", [Check("build", CheckStatus.Queued)], CheckRequirementState.Pending },
        { "build", [Check("build", CheckStatus.InProgress)], CheckRequirementState.Pending },
        { "build", [Check("build", CheckStatus.Completed)], CheckRequirementState.Pending },
        { "build", [Passed("test")], CheckRequirementState.Missing },
        { "BUILD", [Passed("build")], CheckRequirementState.Passed },
        { "test-*", [Passed("test-unit"), Passed("test-e2e"), Passed("build")], CheckRequirementState.Passed },
        { "test-*", [Passed("test-unit"), Check("test-e2e", CheckStatus.InProgress)], CheckRequirementState.Pending },
        { "test-*", [Check("test-unit", CheckStatus.Completed, CheckConclusion.Failure), Check("test-e2e", CheckStatus.InProgress)], CheckRequirementState.Failed },
        { "ci / *", [Passed("ci / build")], CheckRequirementState.Passed },
        { "test-?", [Passed("test-10")], CheckRequirementState.Missing },
        // latest per name: a re-run replaces the failed run (list order), or by time when the platform says.
        { "build", [Check("build", CheckStatus.Completed, CheckConclusion.Failure), Passed("build")], CheckRequirementState.Passed },
        { "build", [Check("build", CheckStatus.Completed, CheckConclusion.Success, 1), Check("build", CheckStatus.Completed, CheckConclusion.Failure, 2)], CheckRequirementState.Failed },
        { "build", [Check("build", CheckStatus.Completed, CheckConclusion.Failure, 2), Check("build", CheckStatus.Completed, CheckConclusion.Success, 1)], CheckRequirementState.Failed },
    };

    [Theory]
    [MemberData(nameof(CheckCases))]
    public void Required_checks_are_judged_on_the_latest_run_per_name(string pattern, CheckResult[] checks, CheckRequirementState expected)
    {
        var decision = Evaluate(Rules(null, RequireChecks(pattern)), Pr(checks: checks));

        var result = Assert.Single(decision.Checks);
        Assert.Equal(expected, result.State);
        Assert.Equal(pattern, result.Pattern);
        Assert.NotEmpty(result.Reason);
        Assert.Equal(expected switch
        {
            CheckRequirementState.Passed => DecisionState.Pass,
            CheckRequirementState.Failed => DecisionState.Fail,
            _ => DecisionState.Pending,
        }, decision.State);
    }

    private static CheckResult Run(string name, string app, CheckConclusion conclusion = CheckConclusion.Success, int? minute = null)
        => Check(name, CheckStatus.Completed, conclusion, minute) with { Origin = CheckOrigin.CheckRun, Source = app };

    private static CheckResult Status(string name, CheckConclusion conclusion = CheckConclusion.Success, int? minute = null)
        => Check(name, CheckStatus.Completed, conclusion, minute) with { Origin = CheckOrigin.CommitStatus, Source = "status" };

    private static CheckResult Job(string name, CheckConclusion conclusion = CheckConclusion.Success)
        => Check(name, CheckStatus.Completed, conclusion) with { Origin = CheckOrigin.PipelineJob, Source = "gitlab-ci" };

    private static readonly CheckRequirement BuildByActions = new() { Pattern = "build", App = "github-actions" };
    private static readonly CheckRequirement BuildInPipeline = new() { Pattern = "build", PipelineJob = true };

    public static TheoryData<CheckRequirement, CheckResult[], CheckRequirementState, string> PinnedCases => new()
    {
        // the App's run passes; a look-alike status of the same name neither satisfies nor fails the pin
        { BuildByActions, [Run("build", "github-actions")], CheckRequirementState.Passed, "passed: build: success" },
        { BuildByActions, [Status("build")], CheckRequirementState.Missing,
            "no check run from the GitHub App 'github-actions' matching \"build\" was reported on ccccccc yet; ignored, not from the GitHub App 'github-actions': build: success (commit status)" },
        { BuildByActions, [Run("build", "other-ci")], CheckRequirementState.Missing,
            "no check run from the GitHub App 'github-actions' matching \"build\" was reported on ccccccc yet; ignored, not from the GitHub App 'github-actions': build: success (check run by app other-ci)" },
        { BuildByActions, [Run("build", "github-actions", CheckConclusion.Failure, 1), Status("build", CheckConclusion.Success, 2)], CheckRequirementState.Failed,
            "failed: build: failure; ignored, not from the GitHub App 'github-actions': build: success (commit status)" },
        { BuildByActions, [Run("build", "GitHub-Actions")], CheckRequirementState.Passed, "passed: build: success" },
        { new CheckRequirement { Pattern = "test-*", App = "github-actions" }, [Run("test-unit", "github-actions"), Status("test-e2e", CheckConclusion.Failure)], CheckRequirementState.Passed,
            "passed: test-unit: success; ignored, not from the GitHub App 'github-actions': test-e2e: failure (commit status)" },
        // an origin the snapshot did not record satisfies no pin
        { BuildByActions, [Passed("build") with { Source = "github-actions" }], CheckRequirementState.Missing,
            "no check run from the GitHub App 'github-actions' matching \"build\" was reported on ccccccc yet; ignored, not from the GitHub App 'github-actions': build: success (unknown source)" },
        // GitLab: only a job of the merge request's pipeline
        { BuildInPipeline, [Job("build")], CheckRequirementState.Passed, "passed: build: success" },
        { BuildInPipeline, [Status("build")], CheckRequirementState.Missing,
            "no job of the merge request's pipeline matching \"build\" was reported on ccccccc yet; ignored, not from the merge request's pipeline: build: success (commit status)" },
        { BuildInPipeline, [Job("build", CheckConclusion.Failure), Status("build")], CheckRequirementState.Failed,
            "failed: build: failure; ignored, not from the merge request's pipeline: build: success (commit status)" },
    };

    [Theory]
    [MemberData(nameof(PinnedCases))]
    public void A_pinned_check_counts_only_its_source_and_names_the_look_alikes_it_ignored(CheckRequirement requirement, CheckResult[] checks, CheckRequirementState expected, string reason)
    {
        var decision = Evaluate(Rules(null, RequireChecks(requirement)), Pr(checks: checks));

        var result = Assert.Single(decision.Checks);
        Assert.Equal((expected, reason), (result.State, result.Reason));
        Assert.Equal(requirement.Pin, result.Pin);
        Assert.Equal($"{requirement.Pattern} ({requirement.Pin})", result.Label);
    }

    [Fact]
    public void An_unpinned_check_still_counts_any_source_and_the_latest_of_a_name_wins()
    {
        var decision = Evaluate(Rules(null, RequireChecks("build")), Pr(checks: [Run("build", "github-actions", CheckConclusion.Failure, 1), Status("build", CheckConclusion.Success, 2)]));

        var result = Assert.Single(decision.Checks);
        Assert.Equal((CheckRequirementState.Passed, null, "build"), (result.State, result.Pin, result.Label));
        Assert.Empty(result.Ignored);
    }

    [Fact]
    public void The_title_names_a_pinned_check_with_its_pin()
    {
        var decision = Evaluate(Rules(null, RequireChecks(BuildByActions)), Pr(checks: [Status("build")]));

        Assert.Equal("Waiting for checks: build (app github-actions)", decision.Title);
    }

    [Fact]
    public void Titles_name_what_is_missing_or_failed()
    {
        var failed = Evaluate(Rules(null, RequireChecks("build", "test")),
            Pr(checks: [Check("build", CheckStatus.Completed, CheckConclusion.Failure), Check("test", CheckStatus.InProgress)]));
        var waiting = Evaluate(Rules(null, NeedsSeniors(1, "build", "lint")), Pr(checks: [Check("build", CheckStatus.InProgress)]));

        Assert.Equal("Required check failed: build", failed.Title);
        Assert.Equal("Needs 1 approval from group seniors; waiting for checks: build, lint", waiting.Title);
        Assert.Equal(["build: in progress"], waiting.Checks[0].Matched);
        Assert.Contains("no check or status matching \"lint\"", waiting.Checks[1].Reason);
    }

    [Fact]
    public void Rules_request_extra_reviewers_but_never_the_author_or_initiator()
    {
        var rule = new PolicyRule { Name = "ask", RequestUsers = ["dev", "bob", "zed"], RequestTeams = ["acme/docs"] };
        var decision = Evaluate(Rules(null, rule), Pr(author: "dev"), AiAuthored(initiator: "bob"));

        Assert.Equal(["zed"], decision.ReviewersToRequest);
        Assert.Equal(["acme/docs"], decision.TeamsToRequest);
    }

    [Fact]
    public void Invalid_rules_fail_with_every_positioned_error()
    {
        var errors = new[]
        {
            new RulesError(".github/reviewbot.yml", 3, 5, "unknown key 'aprovals' (allowed: approvals, checks)"),
            new RulesError(".github/reviewbot.yml", 9, 11, "undefined group 'senior' (defined: seniors, security)"),
        };

        var decision = PolicyEvaluator.Invalid(".github/reviewbot.yml", errors);

        Assert.Equal(DecisionState.Fail, decision.State);
        Assert.Equal("Invalid rules: 2 errors in .github/reviewbot.yml", decision.Title);
        Assert.False(decision.NoRules);
        Assert.Contains(".github/reviewbot.yml:3:5: unknown key", decision.Summary);
    }

    [Fact]
    public void No_rules_passes_without_enforcing_anything()
    {
        var decision = PolicyEvaluator.NoRules();

        Assert.True(decision.NoRules);
        Assert.Equal(DecisionState.Pass, decision.State);
        Assert.Equal("No ReviewBot rules in this repository: nothing enforced", decision.Title);
    }

    [Fact]
    public void Errors_in_the_rules_the_change_proposes_fail_the_decision()
    {
        var passing = Evaluate(Rules(null, NeedsSeniors()), Pr(reviews: [ReviewBy("alice", ReviewState.Approved, 1)]));
        var withHeadErrors = PolicyEvaluator.Finish(passing with
        {
            HeadRulesErrors = [new RulesError(".github/reviewbot.yml", 4, 7, "'count' must be a positive integer")],
        });

        Assert.Equal(DecisionState.Pass, passing.State);
        Assert.Equal(DecisionState.Fail, withHeadErrors.State);
        Assert.Equal("This change makes the rules invalid: 1 error in .github/reviewbot.yml", withHeadErrors.Title);
        Assert.Contains("rules file as this change leaves it", withHeadErrors.Summary);
    }

    [Fact]
    public void A_condition_that_throws_propagates_so_the_caller_never_reports_success()
    {
        var broken = new TestCondition(_ => throw new InvalidOperationException("broken predicate"), "unused");
        var rules = Rules(null, new PolicyRule { Name = "broken", If = broken });

        Assert.Throws<InvalidOperationException>(() => Evaluate(rules, Pr()));
    }
}
