using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(ReviewBot.Policy.Bench.RulesParserBenchmarks).Assembly).Run(args);
