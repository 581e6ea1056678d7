using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;
using static ReviewBot.Core.Tests.Decisions.PolicyFixtures;

namespace ReviewBot.Core.Tests.Decisions;

public sealed class NullRiskAnalyzerTests
{
    private static ChangedFile File(string path, int added, int deleted)
        => new() { Path = path, Status = FileStatus.Modified, Additions = added, Deletions = deleted };

    [Fact]
    public async Task Finds_nothing_but_measures_size_and_diffusion()
    {
        var snapshot = Pr(files: [File("src/A.cs", 10, 0), File("src/B.cs", 5, 5), File("README.md", 0, 0), File("docs/x/y.md", 3, 7)]);

        var report = await NullRiskAnalyzer.Instance.AnalyzeAsync(snapshot, RiskOptions.Default);

        Assert.Equal(RiskLevel.None, report.Level);
        Assert.Empty(report.Findings);
        Assert.Equal(4, report.Metrics.Files);
        Assert.Equal(3, report.Metrics.Directories);
        Assert.Equal(18, report.Metrics.LinesAdded);
        Assert.Equal(12, report.Metrics.LinesDeleted);
        // three files with 10 changed lines each: evenly spread, entropy 1.
        Assert.Equal(1.0, report.Metrics.Entropy, 4);
    }

    [Theory]
    [InlineData(new[] { 10 }, 0.0)]
    [InlineData(new[] { 0, 0 }, 0.0)]
    [InlineData(new[] { 30, 10 }, 0.8113)]
    public void Entropy_is_normalised_by_the_number_of_changed_files(int[] changed, double expected)
    {
        var snapshot = Pr(files: changed.Select((n, i) => File($"f{i}.cs", n, 0)).ToList());

        Assert.Equal(expected, NullRiskAnalyzer.Measure(snapshot).Entropy, 4);
    }
}
