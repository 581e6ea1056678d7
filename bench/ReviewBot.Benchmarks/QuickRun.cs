using System.Diagnostics;
using System.Globalization;

namespace ReviewBot.Benchmarks;

/// <summary>
/// `-- --quick [files]`: runs each benchmark a few times and prints the best CPU time of the process and the
/// allocation of one run. CPU time (not wall-clock) with minimum-of-N stays meaningful on a machine that other
/// work keeps busy; BenchmarkDotNet's wall-clock figures need an idle machine.
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
                $"files={files} allNew={allNew} (CPU ms, best of {repeats}): parse {parse.Ms:F0} ms / {parse.Mb:F1} MB, analysis {full.Ms:F0} ms / {full.Mb:F1} MB (without rules {walk.Ms:F0} ms / {walk.Mb:F1} MB), ratio {full.Ms / parse.Ms:F2}"));
        }
    }

    /// <summary>Analyses the same change over and over for <paramref name="seconds"/> (a steady state to profile).</summary>
    public static void Loop(int files, bool allNew, int seconds)
    {
        var bench = new RiskAnalysisBenchmarks { Files = files, AllNew = allNew };
        bench.Setup();
        var watch = Stopwatch.StartNew();
        var runs = 0;
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            bench.FullAnalysis().GetAwaiter().GetResult();
            runs++;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{runs} analyses in {watch.Elapsed.TotalSeconds:F1} s"));
    }

    private static (double Ms, double Mb) Measure(Func<int> action, int repeats)
    {
        action();
        var best = double.MaxValue;
        long allocated = 0;
        using var process = Process.GetCurrentProcess();
        for (var i = 0; i < repeats; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var before = GC.GetAllocatedBytesForCurrentThread();
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            action();
            process.Refresh();
            best = Math.Min(best, (process.TotalProcessorTime - cpu).TotalMilliseconds);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        return (best, allocated / 1024.0 / 1024.0);
    }
}
