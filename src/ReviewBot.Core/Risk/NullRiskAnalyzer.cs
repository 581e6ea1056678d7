using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Risk;

/// <summary>
/// A risk analyzer that finds nothing but measures the change (<see cref="ChangeMetrics"/>), so rules about
/// risk parse and evaluate (level <c>none</c>) wherever the Roslyn analyzer is not plugged in.
/// </summary>
public sealed class NullRiskAnalyzer : IRiskAnalyzer
{
    public static NullRiskAnalyzer Instance { get; } = new();

    public Task<RiskReport> AnalyzeAsync(PullRequestSnapshot snapshot, RiskOptions options, CancellationToken cancellationToken = default)
        => Task.FromResult(new RiskReport
        {
            Level = RiskLevel.None,
            Score = 0,
            Metrics = Measure(snapshot),
            Explanation = ["no risk rules ran (null analyzer): size and diffusion measured only"],
        });

    /// <summary>
    /// Files, directories, lines added/deleted, and the normalised Shannon entropy of changed lines over files
    /// (Kamei et al.: H = -Σ pᵢ log₂ pᵢ / log₂ n over the n files with changed lines; 0 for one file or none).
    /// </summary>
    public static ChangeMetrics Measure(PullRequestSnapshot snapshot)
    {
        var files = snapshot.Files;
        var directories = files.Select(f => DirectoryOf(f.Path)).Distinct(StringComparer.Ordinal).Count();
        var changed = files.Select(f => (double)f.ChangedLines).Where(n => n > 0).ToList();
        var total = changed.Sum();
        var entropy = 0.0;
        if (changed.Count > 1 && total > 0)
        {
            entropy = -changed.Sum(n => n / total * Math.Log2(n / total)) / Math.Log2(changed.Count);
        }

        return new ChangeMetrics
        {
            Files = files.Count,
            Directories = directories,
            LinesAdded = files.Sum(f => f.Additions),
            LinesDeleted = files.Sum(f => f.Deletions),
            Entropy = Math.Round(entropy, 4),
        };
    }

    private static string DirectoryOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? "" : path[..slash];
    }
}
