using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Risk.Analysis;

/// <summary>Size and diffusion of a change (Kamei et al.: NF, ND, LA, LD, entropy).</summary>
public static class ChangeMetricsCalculator
{
    /// <param name="excluded">Files left out of line counts and entropy (generated code).</param>
    public static ChangeMetrics Compute(IReadOnlyList<ChangedFile> files, IReadOnlySet<string> excluded, int csharpFilesAnalysed)
    {
        var counted = files.Where(f => !excluded.Contains(f.Path)).ToList();
        var total = counted.Sum(f => (long)f.ChangedLines);
        double entropy = 0;
        var withChanges = counted.Where(f => f.ChangedLines > 0).ToList();
        if (withChanges.Count > 1 && total > 0)
        {
            foreach (var f in withChanges)
            {
                var p = (double)f.ChangedLines / total;
                entropy -= p * Math.Log2(p);
            }

            entropy /= Math.Log2(withChanges.Count);
        }

        return new ChangeMetrics
        {
            Files = files.Count,
            Directories = files.Select(f => PathRules.Directory(f.Path)).Distinct(StringComparer.Ordinal).Count(),
            LinesAdded = counted.Sum(f => f.Additions),
            LinesDeleted = counted.Sum(f => f.Deletions),
            Entropy = Math.Round(entropy, 3),
            CSharpFilesAnalysed = csharpFilesAnalysed,
        };
    }
}
