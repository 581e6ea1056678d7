using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using ReviewBot.Core.Risk;

namespace ReviewBot.Benchmarks;

/// <summary>
/// Whole risk analysis of a change vs the bare Roslyn parse of the same base and head files (the floor
/// any syntax-based analysis pays). Target: analysis ≤ 2× the bare parse.
/// </summary>
[MemoryDiagnoser]
public class RiskAnalysisBenchmarks
{
    private SyntheticChange change = null!;
    private readonly RoslynRiskAnalyzer analyzer = new(TimeProvider.System);

    [Params(50, 500)]
    public int Files { get; set; }

    /// <summary>False: every file modified in a few members (the usual case). True: every file new (everything walked).</summary>
    [Params(false, true)]
    public bool AllNew { get; set; }

    /// <summary>Every file has <c>#if</c> branches inactive without symbols (the cost of analysing them too).</summary>
    public bool Conditional { get; set; }

    public SyntheticChange Change => change;

    [GlobalSetup]
    public void Setup() => change = new SyntheticChange(Files, AllNew, Conditional);

    [Benchmark(Baseline = true)]
    public int BareParse() => BareParse(change.Bytes);

    /// <summary>The same input the analyzer gets (UTF-8 bytes), decoded and parsed: the floor of any syntax analysis.</summary>
    public static int BareParse(IEnumerable<byte[]> sources)
    {
        var nodes = 0;
        foreach (var bytes in sources)
        {
            var tree = CSharpSyntaxTree.ParseText(SourceText.From(Encoding.UTF8.GetString(bytes)), RoslynRiskAnalyzer.ParseOptions);
            nodes += tree.Length;
        }

        return nodes;
    }

    [Benchmark]
    public async Task<int> FullAnalysis()
    {
        var report = await analyzer.AnalyzeAsync(change.Snapshot, RiskOptions.Default);
        return report.Findings.Count;
    }
}
