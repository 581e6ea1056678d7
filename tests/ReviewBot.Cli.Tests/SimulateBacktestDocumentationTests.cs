using System.Reflection;
using System.Text.Json;
using ReviewBot.Cli.Commands;
using ReviewBot.TestSupport;

namespace ReviewBot.Cli.Tests;

/// <summary>docs/simulate-backtest.md documents every property of the JSON outputs, every environment variable simulate reads, and the README names both commands.</summary>
public sealed class SimulateBacktestDocumentationTests
{
    private static string Doc => File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "simulate-backtest.md"));

    public static TheoryData<Type> Shapes => new()
    {
        typeof(SimulateReport), typeof(SimulatedPullRequest), typeof(BacktestReport), typeof(BacktestCounts), typeof(BacktestRule),
        typeof(ChangeResult), typeof(BacktestChange), typeof(BacktestDecision), typeof(BacktestError),
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_json_property_is_documented(Type shape)
    {
        var doc = Doc;
        var names = shape.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<System.Text.Json.Serialization.JsonIgnoreAttribute>() is null)
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name))
            .ToList();
        Assert.NotEmpty(names);
        Assert.All(names, name => Assert.Contains($"`{name}`", doc, StringComparison.Ordinal));
    }

    [Fact]
    public void The_environment_variables_and_both_commands_are_documented()
    {
        foreach (var variable in new[] { LivePullRequest.GitHubTokenVariable, LivePullRequest.GitHubTokenFallbackVariable, LivePullRequest.GitHubApiVariable, LivePullRequest.GitLabTokenVariable, LivePullRequest.GitLabUrlVariable })
        {
            Assert.Contains($"`{variable}`", Doc, StringComparison.Ordinal);
        }

        var readme = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "README.md"));
        Assert.Contains("reviewbot simulate --pr", readme, StringComparison.Ordinal);
        Assert.Contains("reviewbot backtest --repo", readme, StringComparison.Ordinal);
        var (code, help, _) = InProcessCli.Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("simulate", help, StringComparison.Ordinal);
        Assert.Contains("backtest", help, StringComparison.Ordinal);
    }
}
