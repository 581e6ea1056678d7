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
        foreach (var allNew in new[] { false, true })
        {
            var bench = new RiskAnalysisBenchmarks { Files = files, AllNew = allNew };
            bench.Setup();
            var noRules = new ReviewBot.Core.Risk.RoslynRiskAnalyzer([]);
            var fullWalk = ReviewBot.Core.Risk.RoslynRiskAnalyzer.WithFullWalk();
            int Analyse(ReviewBot.Core.Risk.RoslynRiskAnalyzer a)
                => a.AnalyzeAsync(bench.Change.Snapshot, ReviewBot.Core.Risk.RiskOptions.Default).GetAwaiter().GetResult().Findings.Count;
            Func<int>[] actions = [bench.BareParse, () => bench.FullAnalysis().GetAwaiter().GetResult(), () => Analyse(noRules), () => Analyse(fullWalk)];
            var best = Best(actions, rounds);
            var (parse, full, walk, reference) = (best[0], best[1], best[2], best[3]);
            var environment = Environment.GetEnvironmentVariable("DOTNET_gcConcurrent");
            var concurrent = environment is not null
                ? environment != "0"
                : !string.Equals(AppContext.GetData("System.GC.Concurrent")?.ToString(), "false", StringComparison.OrdinalIgnoreCase);
            var gc = concurrent ? "concurrent GC" : "non-concurrent GC";

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"files={files} allNew={allNew} {gc} (CPU ms, best of {rounds} interleaved rounds): parse {parse.Ms:F0} ms / {parse.Mb:F1} MB, analysis {full.Ms:F0} ms / {full.Mb:F1} MB (without rules {walk.Ms:F0} ms / {walk.Mb:F1} MB; with the full walk {reference.Ms:F0} ms / {reference.Mb:F1} MB), ratio {full.Ms / parse.Ms:F2}"));
        }
    }

    /// <summary>
    /// `-- --git DIR BASE HEAD [rounds]`: the same measurement on a real range of a local repository (its contents read
    /// once into memory first): the bare parse of every C# side, the analysis, and the analysis without the rules that
    /// judge their sinks by the flow pass (so the flow pass never runs).
    /// </summary>
    public static void RunGit(string directory, string baseRevision, string headRevision, int rounds)
    {
        var repository = ReviewBot.Git.GitRepository.OpenAsync(directory).GetAwaiter().GetResult();
        var loaded = repository.LoadRangeAsync(baseRevision, headRevision).GetAwaiter().GetResult();
        var requests = loaded.Files.SelectMany(f => new[] { (f.BasePath, Side: ReviewBot.Core.Snapshot.Side.Base), (f.HeadPath, Side: ReviewBot.Core.Snapshot.Side.Head) })
            .Where(r => r.Item1 is not null).Select(r => new ReviewBot.Core.Snapshot.FileRequest(r.Item1!, r.Side)).ToList();
        var contents = loaded.Contents.GetAsync(requests).GetAwaiter().GetResult().ToDictionary(c => new ReviewBot.Core.Snapshot.FileRequest(c.Path, c.Side), c => c.Bytes.ToArray());
        var snapshot = loaded with { Contents = new ReviewBot.Core.Snapshot.InMemoryFileContents(contents) };
        var sources = contents.Where(c => c.Key.Path.EndsWith(".cs", StringComparison.OrdinalIgnoreCase)).Select(c => c.Value).ToList();
        var full = new ReviewBot.Core.Risk.RoslynRiskAnalyzer();
        var withoutFlow = new ReviewBot.Core.Risk.RoslynRiskAnalyzer(ReviewBot.Core.Risk.RiskRuleCatalog.Rules.Where(r => !FlowJudged.Contains(r.Descriptor.Id)).ToArray());
        int Analyse(ReviewBot.Core.Risk.RoslynRiskAnalyzer a)
            => a.AnalyzeAsync(snapshot, ReviewBot.Core.Risk.RiskOptions.Default).GetAwaiter().GetResult().Findings.Count;
        int Parse()
        {
            var length = 0;
            foreach (var bytes in sources)
            {
                length += Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(
                    Microsoft.CodeAnalysis.Text.SourceText.From(System.Text.Encoding.UTF8.GetString(bytes)), ReviewBot.Core.Risk.RoslynRiskAnalyzer.ParseOptions).Length;
            }

            return length;
        }

        var best = Best([Parse, () => Analyse(full), () => Analyse(withoutFlow)], rounds);
        var (parse, analysis, noFlow) = (best[0], best[1], best[2]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{directory} {baseRevision}..{headRevision}: {loaded.Files.Count} files, {sources.Count} C# sides (CPU ms, best of {rounds} interleaved rounds): parse {parse.Ms:F0} ms / {parse.Mb:F1} MB, analysis {analysis.Ms:F0} ms / {analysis.Mb:F1} MB (ratio {analysis.Ms / parse.Ms:F2}), without the flow-judged rules {noFlow.Ms:F0} ms / {noFlow.Mb:F1} MB (ratio {noFlow.Ms / parse.Ms:F2}); findings {Analyse(full)} / {Analyse(withoutFlow)}"));
    }

    /// <summary>Rules that judge their sinks by the flow pass (RB2006 only partly: its literal checks go too).</summary>
    private static readonly HashSet<string> FlowJudged =
        ["RB1006", "RB1007", "RB1008", "RB2006", "RB3001", "RB3002", "RB3003", "RB3005", "RB3006", "RB3012", "RB3013", "RB3015", "RB3016", "RB3017"];

    /// <summary>Each action's best CPU time (and its allocation) over <paramref name="rounds"/> interleaved rounds, after one warm-up.</summary>
    private static (double Ms, double Mb)[] Best(Func<int>[] actions, int rounds)
    {
        var best = new (double Ms, double Mb)[actions.Length];
        Array.Fill(best, (double.MaxValue, 0));
        foreach (var action in actions)
        {
            action(); // warm-up
        }

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

    private static (double Ms, double Mb) Measure(Func<int> action)
    {
        using var process = Process.GetCurrentProcess();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = GC.GetAllocatedBytesForCurrentThread();
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        action();
        process.Refresh();
        var ms = (process.TotalProcessorTime - cpu).TotalMilliseconds;
        return (ms, (GC.GetAllocatedBytesForCurrentThread() - before) / 1024.0 / 1024.0);
    }
}
