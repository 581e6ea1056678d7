using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;
using ReviewBot.TestSupport;

namespace ReviewBot.Core.Tests.Risk;

/// <summary>
/// The analyzer visits only the nodes around rule triggers and decision tokens. These tests hold it to the
/// reference it replaces, a visit of every node: the same findings, lines, messages and complexities, on every
/// rule case, the vulnerable sample and this repository's own sources.
/// </summary>
public sealed class GuidedWalkTests
{
    /// <summary>Complexity threshold 1: every walked member reports its complexity, so complexities are compared too.</summary>
    private static readonly RiskOptions EveryComplexity = RiskOptions.Default with
    {
        Thresholds = new Dictionary<string, double> { ["complexity"] = 1 },
    };

    [Theory]
    [MemberData(nameof(RuleCases.Ids), MemberType = typeof(RuleCases))]
    public async Task Rule_cases_give_what_a_visit_of_every_node_gives(string id)
    {
        var files = RuleCases.Get(id).Files;
        await AssertSameAsync(RiskTestKit.Snapshot(files), RiskOptions.Default);
        await AssertSameAsync(RiskTestKit.Snapshot(files), EveryComplexity);
    }

    [Fact]
    public async Task This_repository_added_removed_and_crossed_gives_what_a_visit_of_every_node_gives()
    {
        var sources = RepositorySources();
        Assert.True(sources.Count > 200, $"only {sources.Count} C# files found under {TestPaths.RepoRoot}");

        // Every file new: every member of every file is walked.
        var added = sources.Select(s => new TestFile(s.Path, null, s.Text)).ToArray();
        var report = await AssertSameAsync(RiskTestKit.Snapshot(added), EveryComplexity);
        Assert.Contains(report.Findings, f => f.RuleId == "RB8001");

        // Every file removed, and every file replaced by the next one under the same path: members that share
        // a name (constructors, Dispose, Run, ...) are paired and compared both ways, removed facts included.
        var removed = sources.Select(s => new TestFile(s.Path, s.Text, null)).ToArray();
        await AssertSameAsync(RiskTestKit.Snapshot(removed), RiskOptions.Default);
        var crossed = sources.Select((s, i) => new TestFile(s.Path, s.Text, sources[(i + 1) % sources.Count].Text)).ToArray();
        await AssertSameAsync(RiskTestKit.Snapshot(crossed), EveryComplexity);
    }

    [Fact]
    public async Task A_name_spelled_with_unicode_escapes_is_still_seen()
    {
        // \u0065 is 'e', \u0061 is 'a': the text never says "Process" or "Start", the identifiers do.
        var head = """
            using System.Diagnostics;

            public sealed class Runner
            {
                public void Run(string command)
                {
                    Proc\u0065ss.St\u0061rt(command);
                }
            }
            """;
        var snapshot = RiskTestKit.Snapshot(new TestFile("src/Runner.cs", null, head));
        var report = await AssertSameAsync(snapshot, RiskOptions.Default);
        Assert.Contains(report.Findings, f => f.RuleId == "RB3002" && f.StartLine == 7);
    }

    [Fact]
    public void Every_syntax_rule_names_its_triggers()
    {
        foreach (var rule in RiskRuleCatalog.Rules.OfType<ISyntaxRule>())
        {
            Assert.True(rule.Triggers.Count > 0, $"{rule.Descriptor.Id} has no triggers");
            Assert.All(rule.Triggers, t => Assert.False(string.IsNullOrWhiteSpace(t), $"{rule.Descriptor.Id} has a blank trigger"));
        }
    }

    private static async Task<RiskReport> AssertSameAsync(PullRequestSnapshot snapshot, RiskOptions options)
    {
        var guided = await new RoslynRiskAnalyzer(RiskRuleCatalog.Rules, fullWalk: false).AnalyzeAsync(snapshot, options);
        var full = await new RoslynRiskAnalyzer(RiskRuleCatalog.Rules, fullWalk: true).AnalyzeAsync(snapshot, options);
        var expected = full.Findings.Select(Show).ToList();
        var actual = guided.Findings.Select(Show).ToList();
        var missing = expected.Except(actual).Take(20).ToList();
        var extra = actual.Except(expected).Take(20).ToList();
        Assert.True(expected.SequenceEqual(actual),
            $"guided walk differs from the full walk ({expected.Count} vs {actual.Count} findings)\nmissing:\n  {string.Join("\n  ", missing)}\nextra:\n  {string.Join("\n  ", extra)}");
        Assert.Equal(full.Score, guided.Score);
        Assert.Equal(full.Level, guided.Level);
        Assert.Equal(full.Notes.Select(n => n.Path + ": " + n.Note), guided.Notes.Select(n => n.Path + ": " + n.Note));
        return guided;
    }

    private static string Show(Finding f)
        => $"{f.RuleId} {f.Severity} {f.Side} {f.Path}:{f.StartLine}-{f.EndLine} {f.Message} | {f.Code}";

    private static List<(string Path, string Text)> RepositorySources()
    {
        var root = TestPaths.RepoRoot;
        return new[] { "src", "tests", "bench" }
            .Select(d => Path.Combine(root, d))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories))
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(p => (Path.GetRelativePath(root, p).Replace('\\', '/'), File.ReadAllText(p)))
            .ToList();
    }
}
