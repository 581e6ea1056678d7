using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/ReviewBot.Authorship.Bench -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(ReviewBot.Authorship.Bench.ClassifyBenchmarks).Assembly).Run(args);
