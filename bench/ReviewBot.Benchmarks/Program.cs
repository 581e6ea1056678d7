using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

if (args.Length > 1 && args[0] == "--profile")
{
    // `-- --profile modified|new [seconds]`: runs only the analysis in a loop, for dotnet-trace / dotnet-counters.
    ReviewBot.Benchmarks.QuickRun.Loop(500, args[1] == "new", args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 20);
    return;
}

if (args.Length > 3 && args[0] == "--range")
{
    // `-- --range REPO BASE HEAD [rounds]`: a real change from a local repository, parse vs analysis.
    ReviewBot.Benchmarks.QuickRun.Range(args[1], args[2], args[3], args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 12);
    return;
}

if (args.Length > 3 && args[0] == "--range-profile")
{
    // `-- --range-profile REPO BASE HEAD [seconds]`: only the analysis of a real change, in a loop, for dotnet-trace.
    ReviewBot.Benchmarks.QuickRun.RangeLoop(args[1], args[2], args[3], args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 20);
    return;
}

if (args.Length > 3 && args[0] == "--range-rules")
{
    // `-- --range-rules REPO BASE HEAD [rounds]`: what each rule adds to the analysis of a real change (a profile).
    ReviewBot.Benchmarks.QuickRun.RangeByRule(args[1], args[2], args[3], args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 3);
    return;
}

if (args.Length > 0 && args[0] == "--quick")
{
    ReviewBot.Benchmarks.QuickRun.Run(
        args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 500,
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 12);
    return;
}

// Short, in-process job so a run finishes in minutes on a busy 2-core machine:
//   dotnet run -c Release --project bench/ReviewBot.Benchmarks -- --filter '*'
// Add --job default (and drop --short) for BenchmarkDotNet's full statistics.
var shortRun = !args.Contains("--full");
var config = DefaultConfig.Instance.WithOptions(ConfigOptions.DisableOptimizationsValidator);
if (shortRun)
{
    config = config.AddJob(Job.Default
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithLaunchCount(1)
        .WithWarmupCount(2)
        .WithIterationCount(6)
        .WithId("short"));
}

BenchmarkSwitcher.FromAssembly(typeof(ReviewBot.Benchmarks.RiskAnalysisBenchmarks).Assembly)
    .Run(args.Where(a => a != "--full").ToArray(), config);
