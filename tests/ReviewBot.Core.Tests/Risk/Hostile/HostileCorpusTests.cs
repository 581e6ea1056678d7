using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Tests.Risk.Hostile;

/// <summary>
/// The analyzer under the seeded hostile corpus: no input crashes it, every input ends within the counted budgets
/// (the wall-clock backstop never has to fire), and a pathological file becomes an RB9001 finding while the rest of
/// the change is still analysed.
/// </summary>
public sealed class HostileCorpusTests
{
    private const int Seed = 1414;

    /// <summary>Next to every hostile file: a weak hash that must still be found.</summary>
    private static readonly TestFile Benign = new("src/Benign.cs", null,
        "namespace Acme.App;\n\npublic class Benign\n{\n    public byte[] Hash(byte[] data) => System.Security.Cryptography.MD5.HashData(data);\n}\n");

    private static PullRequestSnapshot Change(params (string Path, byte[] Bytes)[] hostile)
        => RiskTestKit.Snapshot(
            [.. hostile.Select(h => new TestFile(h.Path, null, "placeholder")), Benign],
            hostile.ToDictionary(h => new FileRequest(h.Path, Side.Head), h => h.Bytes));

    private static RiskOptions Thresholds(params (string Name, double Value)[] values)
        => new() { Thresholds = values.ToDictionary(v => v.Name, v => v.Value) };

    public static IEnumerable<object[]> Samples => HostileSource.Corpus(Seed, 40).Select((s, i) => new object[] { i });

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task No_seeded_input_crashes_or_needs_the_backstop(int index)
    {
        var sample = HostileSource.Corpus(Seed, 40)[index];
        var report = await new RoslynRiskAnalyzer(TimeProvider.System).AnalyzeAsync(Change(("src/Hostile.cs", sample.Bytes)), RiskOptions.Default);

        Assert.DoesNotContain(report.Notes, n => n.Note.Contains("backstop", StringComparison.Ordinal));
        Assert.Contains(report.Findings, f => f.RuleId == "RB2002" && f.Path == "src/Benign.cs");
        Assert.DoesNotContain(report.Findings, f => f.RuleId == "RB9001" && f.Message.Contains("analyzer failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_whole_corpus_in_one_change_ends_within_the_evaluation_budget()
    {
        var corpus = HostileSource.Corpus(Seed + 1, 20).Select((s, i) => ($"src/Hostile{i:00}.cs", s.Bytes)).ToArray();
        var report = await new RoslynRiskAnalyzer(TimeProvider.System).AnalyzeAsync(Change(corpus), RiskOptions.Default);

        Assert.DoesNotContain(report.Notes, n => n.Note.Contains("backstop", StringComparison.Ordinal));
        Assert.NotEmpty(report.Findings);
        Assert.All(report.Findings.Where(f => f.RuleId == "RB9001"), f => Assert.StartsWith("not analysable: ", f.Message));
    }

    [Fact]
    public async Task A_file_past_its_node_budget_is_not_analysable_and_the_rest_is_analysed()
    {
        var chain = "namespace Acme;\n\npublic class Chain\n{\n    public string M() => " + string.Join(" + ", Enumerable.Repeat("\"a\"", 20_000)) + ";\n}\n";
        var report = await new RoslynRiskAnalyzer(TimeProvider.System).AnalyzeAsync(Change(("src/Chain.cs", System.Text.Encoding.UTF8.GetBytes(chain))), Thresholds(("max_file_nodes", 5_000)));

        var finding = Assert.Single(report.Findings, f => f.RuleId == "RB9001");
        Assert.Equal(("src/Chain.cs", 1, Severity.High), (finding.Path, finding.StartLine, finding.Severity));
        Assert.Contains("nodes visited (more than max_file_nodes 5000 in this file)", finding.Message);
        Assert.Contains(report.Findings, f => f.RuleId == "RB2002" && f.Path == "src/Benign.cs");
        Assert.True(report.Level >= RiskLevel.High);
    }

    [Fact]
    public async Task Past_the_evaluation_budget_every_later_file_is_not_analysable()
    {
        var files = Enumerable.Range(0, 3)
            .Select(i => new TestFile($"src/F{i}.cs", null, $"public class F{i}\n{{\n    public string M() => {string.Join(" + ", Enumerable.Repeat("\"a\"", 1_000))};\n}}\n"))
            .ToArray();
        var report = await RiskTestKit.AnalyzeAsync(Thresholds(("max_change_nodes", 3_000)), files);

        var refused = report.Findings.Where(f => f.RuleId == "RB9001").Select(f => f.Path).Order().ToList();
        Assert.Equal(["src/F1.cs", "src/F2.cs"], refused);
        Assert.All(report.Findings, f => Assert.Contains("max_change_nodes 3000", f.Message));
    }

    [Fact]
    public async Task The_wall_clock_backstop_refuses_what_is_left_and_says_the_result_is_not_replay_exact()
    {
        var report = await RiskTestKit.AnalyzeAsync(Thresholds(("max_analysis_seconds", 0)), Benign);

        var finding = Assert.Single(report.Findings);
        Assert.Equal("RB9001", finding.RuleId);
        Assert.Contains("wall-clock backstop", finding.Message);
        Assert.Contains(report.Notes, n => n.Note.Contains("replay on another machine may differ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Nesting_past_the_budget_is_refused_before_parsing()
    {
        var deep = "public class D { object M() => " + new string('(', 100_000) + "1" + new string(')', 100_000) + "; }\n";
        var interpolated = "public class I { string M() => " + string.Concat(Enumerable.Repeat("$\"{", 5_000)) + "1" + string.Concat(Enumerable.Repeat("}\"", 5_000)) + "; }\n";
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/D.cs", null, deep), new TestFile("src/I.cs", null, interpolated));

        Assert.Equal(["src/D.cs", "src/I.cs"], report.Findings.Where(f => f.RuleId == "RB9001").Select(f => f.Path).Order());
        Assert.All(report.Findings, f => Assert.Contains("nesting (head nests deeper than max_nesting 128)", f.Message));
    }

    [Fact]
    public void The_corpus_is_the_same_for_the_same_seed()
    {
        var first = HostileSource.Corpus(Seed, 40);
        var second = HostileSource.Corpus(Seed, 40);
        Assert.Equal(first.Select(s => s.Name), second.Select(s => s.Name));
        Assert.All(first.Zip(second), p => Assert.Equal(p.First.Bytes, p.Second.Bytes));
    }
}
