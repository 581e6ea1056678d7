using System.Diagnostics;
using System.Globalization;

namespace ReviewBot.Benchmarks;

/// <summary>
/// `-- --quick [files]`: runs each benchmark a few times and prints the best time and the allocation of one
/// run. Minimum-of-N is robust on a loaded machine; use it while iterating, BenchmarkDotNet for the record.
/// </summary>
public static class QuickRun
{
    public static void Run(int files, int repeats)
    {
        foreach (var allNew in new[] { false, true })
        {
            var bench = new RiskAnalysisBenchmarks { Files = files, AllNew = allNew };
            bench.Setup();
            var parse = Measure(() => bench.BareParse(), repeats);
            var full = Measure(() => bench.FullAnalysis().GetAwaiter().GetResult(), repeats);
            var noRules = new ReviewBot.Core.Risk.RoslynRiskAnalyzer([]);
            var walk = Measure(() => noRules.AnalyzeAsync(bench.Change.Snapshot, ReviewBot.Core.Risk.RiskOptions.Default).GetAwaiter().GetResult().Findings.Count, repeats);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"files={files} allNew={allNew}: parse {parse.Ms:F0} ms / {parse.Mb:F1} MB, analysis {full.Ms:F0} ms / {full.Mb:F1} MB (without rules {walk.Ms:F0} ms / {walk.Mb:F1} MB), ratio {full.Ms / parse.Ms:F2}"));
        }
    }

    private static (double Ms, double Mb) Measure(Func<int> action, int repeats)
    {
        action();
        var best = double.MaxValue;
        long allocated = 0;
        for (var i = 0; i < repeats; i++)
        {
            GC.Collect();
            var before = GC.GetAllocatedBytesForCurrentThread();
            var sw = Stopwatch.StartNew();
            action();
            best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        return (best, allocated / 1024.0 / 1024.0);
    }
}
