using ReviewBot.Core.Authorship;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Risk;
using static ReviewBot.Core.Tests.Policy.PolicyContexts;

namespace ReviewBot.Core.Tests.Policy;

/// <summary>Each predicate's evaluation table: matched or not, and the exact reason given.</summary>
public sealed class ConditionTests
{
    private static void AssertResult(Condition condition, ConditionContext context, bool matched, string reason)
    {
        var result = condition.Evaluate(context);
        Assert.Equal(reason, result.Reason);
        Assert.Equal(matched, result.Matched);
    }

    [Theory]
    [InlineData(AuthorshipKind.AiAuthored, true, "authorship is ai-authored")]
    [InlineData(AuthorshipKind.AiAssisted, true, "authorship is ai-assisted")]
    [InlineData(AuthorshipKind.Human, false, "authorship is human, not ai-authored or ai-assisted")]
    [InlineData(AuthorshipKind.Automation, false, "authorship is automation, not ai-authored or ai-assisted")]
    public void Authorship(AuthorshipKind kind, bool matched, string reason)
        => AssertResult(new AuthorshipCondition([AuthorshipKind.AiAuthored, AuthorshipKind.AiAssisted]), Context(kind: kind), matched, reason);

    [Theory]
    [InlineData(new string[0], false, "no AI agent was detected (wanted claude-code, copilot-*)")]
    [InlineData(new[] { "Claude-Code" }, true, "agent Claude-Code matches claude-code, copilot-*")]
    [InlineData(new[] { "copilot-coding-agent" }, true, "agent copilot-coding-agent matches claude-code, copilot-*")]
    [InlineData(new[] { "devin", "codex" }, false, "agents devin, codex do not match claude-code, copilot-*")]
    public void Agents(string[] agents, bool matched, string reason)
    {
        var set = PatternSet.Compile(["claude-code", "copilot-*"], ignoreCase: true, (_, e) => throw new FormatException(e));
        AssertResult(new AgentsCondition(set), Context(agents: agents), matched, reason);
    }

    [Theory]
    [InlineData(RiskLevel.Critical, true, "risk is critical (wanted >= high)")]
    [InlineData(RiskLevel.High, true, "risk is high (wanted >= high)")]
    [InlineData(RiskLevel.Medium, false, "risk is medium, not >= high")]
    [InlineData(RiskLevel.None, false, "risk is none, not >= high")]
    public void Risk(RiskLevel level, bool matched, string reason)
        => AssertResult(new RiskCondition(new ValueComparison<RiskLevel>(ComparisonOperator.GreaterOrEqual, RiskLevel.High)), Context(risk: level), matched, reason);

    [Fact]
    public void Findings_match_rule_ids_or_categories()
    {
        var condition = new FindingsCondition(PatternSet.Compile(["RB10*", "crypto"], true, (_, e) => throw new FormatException(e)));
        AssertResult(condition, Context(), false, "no risk findings (wanted RB10*, crypto)");
        AssertResult(condition, Context(findings: [Finding("RB2001", "tests")]), false, "none of the 1 risk findings matches RB10*, crypto");
        AssertResult(condition, Context(findings: [Finding("rb1004", "injection")]), true, "finding rb1004 (injection) in src/a.cs:3 matches RB10*, crypto");
        AssertResult(condition, Context(findings: [Finding("RB3000", "Crypto")]), true, "finding RB3000 (Crypto) in src/a.cs:3 matches RB10*, crypto");
    }

    [Fact]
    public void Paths_match_any_file_including_the_old_path_of_a_rename()
    {
        var condition = new PathsCondition(PatternSet.Parse(".github/workflows/**", "!.github/workflows/docs.yml"));
        AssertResult(condition, Context(Pr(File("src/a.cs"), File(".github/workflows/ci.yml"))), true, ".github/workflows/ci.yml matches .github/workflows/**, !.github/workflows/docs.yml");
        AssertResult(condition, Context(Pr(File("ci/old.yml", previous: ".github/workflows/ci.yml"))), true, ".github/workflows/ci.yml (renamed to ci/old.yml) matches .github/workflows/**, !.github/workflows/docs.yml");
        AssertResult(condition, Context(Pr(File(".github/workflows/docs.yml"), File("src/a.cs"))), false, "none of the 2 changed files matches .github/workflows/**, !.github/workflows/docs.yml");
        AssertResult(condition, Context(Pr()), false, "none of the 0 changed files matches .github/workflows/**, !.github/workflows/docs.yml");
    }

    [Fact]
    public void Only_paths_need_every_file_and_both_sides_of_renames()
    {
        var condition = new OnlyPathsCondition(PatternSet.Parse("docs/**", "**/*.md"));
        AssertResult(condition, Context(Pr(File("docs/a.txt"), File("README.md"))), true, "all 2 changed files match docs/**, **/*.md");
        AssertResult(condition, Context(Pr(File("docs/a.txt"), File("src/a.cs"))), false, "src/a.cs does not match docs/**, **/*.md");
        AssertResult(condition, Context(Pr(File("docs/a.md", previous: "src/a.cs"))), false, "src/a.cs does not match docs/**, **/*.md");
        AssertResult(condition, Context(Pr()), false, "no files changed");
    }

    [Fact]
    public void A_truncated_file_list_fails_closed()
    {
        var truncated = Pr(File("docs/a.md")) with { FilesTruncated = true };
        AssertResult(new PathsCondition(PatternSet.Parse("src/**")), Context(truncated), true, "none of the 1 changed file shown matches src/**, but the file list is truncated, so a hidden file may");
        AssertResult(new OnlyPathsCondition(PatternSet.Parse("docs/**")), Context(truncated), false, "all 1 changed file shown match docs/**, but the file list is truncated, so not every file can be checked");
    }

    [Theory]
    [InlineData("main", true, "target branch main matches main, release/*")]
    [InlineData("refs/heads/release/2.0", true, "target branch release/2.0 matches main, release/*")]
    [InlineData("develop", false, "target branch develop does not match main, release/*")]
    public void Target_branch(string baseRef, bool matched, string reason)
        => AssertResult(new TargetBranchCondition(PatternSet.Parse("main", "release/*")), Context(Pr() with { BaseRef = baseRef }), matched, reason);

    [Theory]
    [InlineData("copilot/fix-1", true, "source branch copilot/fix-1 matches copilot/**")]
    [InlineData("feature/x", false, "source branch feature/x does not match copilot/**")]
    public void Source_branch(string headRef, bool matched, string reason)
        => AssertResult(new SourceBranchCondition(PatternSet.Parse("copilot/**")), Context(Pr() with { HeadRef = headRef }), matched, reason);

    [Fact]
    public void Labels()
    {
        var condition = new LabelsCondition(PatternSet.Compile(["hotfix", "ai-*"], true, (_, e) => throw new FormatException(e)));
        AssertResult(condition, Context(Pr() with { Labels = ["docs", "HotFix"] }), true, "label 'HotFix' matches hotfix, ai-*");
        AssertResult(condition, Context(Pr() with { Labels = ["docs"] }), false, "labels 'docs' do not match hotfix, ai-*");
        AssertResult(condition, Context(Pr()), false, "the change has no labels (wanted hotfix, ai-*)");
    }

    [Fact]
    public void Author_users_and_groups()
    {
        var groups = new Dictionary<string, IReadOnlySet<string>>
        {
            ["seniors"] = new HashSet<string>(["Carol"]),
        };
        var condition = new AuthorCondition(["alice", "bob"], ["seniors"]);
        AssertResult(condition, Context(Pr() with { Author = new() { Login = "Alice" } }, groups: groups), true, "author Alice is listed");
        AssertResult(condition, Context(Pr() with { Author = new() { Login = "carol" } }, groups: groups), true, "author carol is a member of group seniors");
        AssertResult(condition, Context(Pr() with { Author = new() { Login = "dave" } }, groups: groups), false, "author dave is not alice or bob and not in group seniors");
        AssertResult(condition, Context(Pr() with { Author = new() { Name = "Git Only" } }, groups: groups), false, "the author (Git Only) has no platform login");
        AssertResult(new AuthorCondition([], ["seniors"]), Context(Pr() with { Author = new() { Login = "carol" } }), false, "author carol is not in group seniors");
    }

    [Theory]
    [InlineData(ComparisonOperator.Greater, 500, true, "501 changed lines (wanted > 500)")]
    [InlineData(ComparisonOperator.GreaterOrEqual, 502, false, "501 changed lines, not >= 502")]
    [InlineData(ComparisonOperator.Less, 10, false, "501 changed lines, not < 10")]
    [InlineData(ComparisonOperator.LessOrEqual, 501, true, "501 changed lines (wanted <= 501)")]
    [InlineData(ComparisonOperator.Equal, 501, true, "501 changed lines (wanted == 501)")]
    [InlineData(ComparisonOperator.NotEqual, 501, false, "501 changed lines, not != 501")]
    public void Changed_lines_sum_additions_and_deletions(ComparisonOperator op, int value, bool matched, string reason)
        => AssertResult(new ChangedLinesCondition(new(op, value)), Context(Pr(File("a", 400, 100), File("b", 1, 0))), matched, reason);

    [Theory]
    [InlineData(ComparisonOperator.Greater, 1, true, "2 changed files (wanted > 1)")]
    [InlineData(ComparisonOperator.Greater, 2, false, "2 changed files, not > 2")]
    public void Files(ComparisonOperator op, int value, bool matched, string reason)
        => AssertResult(new FilesCondition(new(op, value)), Context(Pr(File("a"), File("b"))), matched, reason);

    [Fact]
    public void Files_one()
        => AssertResult(new FilesCondition(new(ComparisonOperator.Equal, 1)), Context(Pr(File("a"))), true, "1 changed file (wanted == 1)");

    [Theory]
    [InlineData(true, true, true, "the change is a draft")]
    [InlineData(true, false, false, "the change is not a draft")]
    [InlineData(false, false, true, "the change is not a draft")]
    [InlineData(false, true, false, "the change is a draft")]
    public void Draft(bool wanted, bool isDraft, bool matched, string reason)
        => AssertResult(new DraftCondition(wanted), Context(Pr() with { Draft = isDraft }), matched, reason);

    [Fact]
    public void All_any_not_compose_reasons()
    {
        var ai = new AuthorshipCondition([AuthorshipKind.AiAuthored]);
        var risky = new RiskCondition(new(ComparisonOperator.GreaterOrEqual, RiskLevel.High));
        var aiHigh = Context(kind: AuthorshipKind.AiAuthored, risk: RiskLevel.High);
        var aiLow = Context(kind: AuthorshipKind.AiAuthored, risk: RiskLevel.Low);
        var humanLow = Context(kind: AuthorshipKind.Human, risk: RiskLevel.Low);

        AssertResult(new AllCondition([ai, risky]), aiHigh, true, "authorship is ai-authored; and risk is high (wanted >= high)");
        AssertResult(new AllCondition([ai, risky]), aiLow, false, "risk is low, not >= high");
        AssertResult(new AnyCondition([risky, ai]), aiLow, true, "authorship is ai-authored");
        AssertResult(new AnyCondition([ai, risky]), humanLow, false, "authorship is human, not ai-authored; and risk is low, not >= high");
        AssertResult(new NotCondition(ai), humanLow, true, "authorship is human, not ai-authored");
        AssertResult(new NotCondition(ai), aiLow, false, "authorship is ai-authored");
    }
}
