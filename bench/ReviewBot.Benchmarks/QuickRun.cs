using System.Diagnostics;
using System.Globalization;

namespace ReviewBot.Benchmarks;

/// <summary>
/// `-- --quick [files] [rounds]`: measures the bare parse, the analysis, the analysis without rules and the analysis
/// with the reference full walk, interleaved round by round (a noisy spell of the machine hits all of them alike),
/// and prints the best CPU time of the process per measurement and the allocation of one run. CPU time with
/// minimum-of-N stays meaningful on a machine that other work keeps busy; BenchmarkDotNet's wall-clock figures
/// need an idle machine.
/// </summary>
public static class QuickRun
{
    public static void Run(int files, int rounds)
    {
        foreach (var (allNew, conditional) in new[] { (false, false), (true, false), (false, true) })
        {
            var bench = new RiskAnalysisBenchmarks { Files = files, AllNew = allNew, Conditional = conditional };
            bench.Setup();
            var noRules = new ReviewBot.Core.Risk.RoslynRiskAnalyzer(TimeProvider.System, []);
            var fullWalk = ReviewBot.Core.Risk.RoslynRiskAnalyzer.WithFullWalk(TimeProvider.System);
            int Analyse(ReviewBot.Core.Risk.RoslynRiskAnalyzer a)
                => a.AnalyzeAsync(bench.Change.Snapshot, ReviewBot.Core.Risk.RiskOptions.Default).GetAwaiter().GetResult().Findings.Count;
            Func<int>[] actions = [bench.BareParse, () => bench.FullAnalysis().GetAwaiter().GetResult(), () => Analyse(noRules), () => Analyse(fullWalk)];
            var best = Interleaved(actions, rounds);

            var (parse, full, walk, reference) = (best[0], best[1], best[2], best[3]);
            var environment = Environment.GetEnvironmentVariable("DOTNET_gcConcurrent");
            var concurrent = environment is not null
                ? environment != "0"
                : !string.Equals(AppContext.GetData("System.GC.Concurrent")?.ToString(), "false", StringComparison.OrdinalIgnoreCase);
            var gc = concurrent ? "concurrent GC" : "non-concurrent GC";

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"files={files} allNew={allNew} #if={conditional} {gc} (CPU ms, best of {rounds} interleaved rounds): parse {parse.Ms:F0} ms / {parse.Mb:F1} MB, analysis {full.Ms:F0} ms / {full.Mb:F1} MB (without rules {walk.Ms:F0} ms / {walk.Mb:F1} MB; with the full walk {reference.Ms:F0} ms / {reference.Mb:F1} MB), ratio {full.Ms / parse.Ms:F2}"));
        }
    }

    /// <summary>
    /// `-- --range REPO BASE HEAD [rounds]`: the bare parse and the analysis of a real change (see
    /// <see cref="GitRangeChange"/>), interleaved, best CPU time of each (e.g. modelcontextprotocol/csharp-sdk v1.0.0..v2.2.0).
    /// </summary>
    public static void Range(string repository, string baseRevision, string headRevision, int rounds)
    {
        var change = new GitRangeChange(repository, baseRevision, headRevision);
        var full = new ReviewBot.Core.Risk.RoslynRiskAnalyzer(TimeProvider.System);
        var withoutFlow = new ReviewBot.Core.Risk.RoslynRiskAnalyzer(TimeProvider.System, ReviewBot.Core.Risk.RiskRuleCatalog.Rules.Where(r => !FlowJudged.Contains(r.Descriptor.Id)).ToArray());
        int Analyse(ReviewBot.Core.Risk.RoslynRiskAnalyzer a)
            => a.AnalyzeAsync(change.Snapshot, ReviewBot.Core.Risk.RiskOptions.Default).GetAwaiter().GetResult().Findings.Count;
        Func<int>[] actions = [() => RiskAnalysisBenchmarks.BareParse(change.Bytes), () => Analyse(full), () => Analyse(withoutFlow)];
        var best = Interleaved(actions, rounds);

        var csharp = change.Files.Count(f => f.Path.EndsWith(".cs", StringComparison.OrdinalIgnoreCase));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{baseRevision}..{headRevision}: {change.Files.Count} files ({csharp} C#, {change.Bytes.Count} sides parsed), CPU ms best of {rounds} interleaved rounds: parse {best[0].Ms:F0} ms / {best[0].Mb:F1} MB, analysis {best[1].Ms:F0} ms / {best[1].Mb:F1} MB, ratio {best[1].Ms / best[0].Ms:F2}; without the flow-judged rules {best[2].Ms:F0} ms, ratio {best[2].Ms / best[0].Ms:F2}"));
    }

    /// <summary>
    /// `-- --range-rules REPO BASE HEAD [rounds]`: a profile by rule. The bare parse, the analysis without rules (parse,
    /// index, pairing and walk), and the analysis with each rule alone, interleaved; prints what each rule adds over the
    /// analysis without rules (best CPU time), largest first. Rules sharing a pass (the flow pass) each carry its cost.
    /// </summary>
    public static void RangeByRule(string repository, string baseRevision, string headRevision, int rounds)
    {
        var change = new GitRangeChange(repository, baseRevision, headRevision);
        var rules = ReviewBot.Core.Risk.RiskRuleCatalog.Rules;
        var analyzers = new[] { new ReviewBot.Core.Risk.RoslynRiskAnalyzer(TimeProvider.System, []), new ReviewBot.Core.Risk.RoslynRiskAnalyzer(TimeProvider.System) }
            .Concat(rules.Select(r => new ReviewBot.Core.Risk.RoslynRiskAnalyzer(TimeProvider.System, [r]))).ToList();
        int Analyse(ReviewBot.Core.Risk.RoslynRiskAnalyzer a)
            => a.AnalyzeAsync(change.Snapshot, ReviewBot.Core.Risk.RiskOptions.Default).GetAwaiter().GetResult().Findings.Count;
        Func<int>[] actions = [() => RiskAnalysisBenchmarks.BareParse(change.Bytes), .. analyzers.Select(a => (Func<int>)(() => Analyse(a)))];
        var best = Interleaved(actions, rounds);
        var (parse, none, all) = (best[0].Ms, best[1].Ms, best[2].Ms);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{baseRevision}..{headRevision}, CPU ms best of {rounds}: parse {parse:F0}, analysis without rules {none:F0} ({none / parse:F2}x), with all rules {all:F0} ({all / parse:F2}x)"));
        foreach (var (rule, ms) in rules.Select((r, i) => (r.Descriptor.Id, best[i + 3].Ms - none)).OrderByDescending(x => x.Item2).Take(15))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {rule} +{ms:F0} ms"));
        }
    }

    /// <summary>Rules that judge their sinks by the flow pass (RB2006 only partly: its literal checks go too).</summary>
    private static readonly HashSet<string> FlowJudged =
        ["RB1006", "RB1007", "RB1008", "RB2006", "RB3001", "RB3002", "RB3003", "RB3005", "RB3006", "RB3012", "RB3013", "RB3015", "RB3016", "RB3017"];

    /// <summary>Analyses the same synthetic change over and over for <paramref name="seconds"/> (a steady state to profile).</summary>
    public static void Loop(int files, bool allNew, int seconds)
    {
        var bench = new RiskAnalysisBenchmarks { Files = files, AllNew = allNew };
        bench.Setup();
        Repeat(() => bench.FullAnalysis().GetAwaiter().GetResult(), seconds);
    }

    /// <summary>Analyses a real change (<see cref="GitRangeChange"/>) over and over for <paramref name="seconds"/> (a steady state to profile).</summary>
    public static void RangeLoop(string repository, string baseRevision, string headRevision, int seconds)
    {
        var change = new GitRangeChange(repository, baseRevision, headRevision);
        var analyzer = new ReviewBot.Core.Risk.RoslynRiskAnalyzer(TimeProvider.System);
        Repeat(() => analyzer.AnalyzeAsync(change.Snapshot, ReviewBot.Core.Risk.RiskOptions.Default).GetAwaiter().GetResult().Findings.Count, seconds);
    }

    private static void Repeat(Func<int> analysis, int seconds)
    {
        var watch = Stopwatch.StartNew();
        var runs = 0;
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            analysis();
            runs++;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{runs} analyses in {watch.Elapsed.TotalSeconds:F1} s"));
    }

    /// <summary>
    /// Warms up (<see cref="WarmUp"/>), then runs all actions round by round; the best CPU time of each and its allocation.
    /// </summary>
    private static (double Ms, double Mb)[] Interleaved(Func<int>[] actions, int rounds)
    {
        var best = new (double Ms, double Mb)[actions.Length];
        Array.Fill(best, (double.MaxValue, 0));
        WarmUp(actions);

        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < actions.Length; i++)
            {
                var (ms, mb) = Measure(actions[i]);
                best[i] = (Math.Min(best[i].Ms, ms), mb);
            }
        }

        return best;
    }

    /// <summary>
    /// Rounds of every action until the JIT is done with them: two rounds in a row that compile no method. The CPU time
    /// measured is the process's, so a compilation still under way (tiered compilation recompiles hot methods in the
    /// background for seconds) would land in whichever action runs meanwhile, most in the one with the most code.
    /// </summary>
    private static void WarmUp(Func<int>[] actions)
    {
        const int MaxRounds = 40;
        var quiet = 0;
        var round = 0;
        while (quiet < 2 && round++ < MaxRounds)
        {
            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            foreach (var action in actions)
            {
                action();
            }

            Thread.Sleep(200); // the tier-up delay: methods called often enough are recompiled after a quiet 100 ms
            quiet = System.Runtime.JitInfo.GetCompiledMethodCount() == compiled ? quiet + 1 : 0;
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"warm-up: {round} rounds, {System.Runtime.JitInfo.GetCompiledMethodCount()} methods compiled{(quiet < 2 ? " (still compiling: figures include JIT time)" : "")}"));
    }

    private static (double Ms, double Mb) Measure(Func<int> action)
    {
        using var process = Process.GetCurrentProcess();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = GC.GetTotalAllocatedBytes(precise: true); // the analysis runs on a thread of its own
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        action();
        process.Refresh();
        var ms = (process.TotalProcessorTime - cpu).TotalMilliseconds;
        return (ms, (GC.GetTotalAllocatedBytes(precise: true) - before) / 1024.0 / 1024.0);
    }
}
