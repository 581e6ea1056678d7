using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(ReviewBot.Git.Bench.LocalRangeBenchmarks).Assembly).Run(args);
