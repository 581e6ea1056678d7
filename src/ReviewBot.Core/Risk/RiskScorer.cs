using System.Globalization;
using ReviewBot.Core.Risk.Analysis;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Risk;

/// <summary>
/// Findings → score and level. Score = Σ severity weights (info 0, low 1, medium 4, high 10, critical 25).
/// Level = the higher of the worst finding's severity and the score band; a change touching a sensitive
/// path is raised one level (to at least medium). Every step is written to the explanation.
/// </summary>
public static class RiskScorer
{
    public static IReadOnlyDictionary<Severity, int> Weights { get; } = new Dictionary<Severity, int>
    {
        [Severity.Info] = 0,
        [Severity.Low] = 1,
        [Severity.Medium] = 4,
        [Severity.High] = 10,
        [Severity.Critical] = 25,
    };

    public static RiskReport Score(
        IReadOnlyList<Finding> findings,
        ChangeMetrics metrics,
        IReadOnlyList<AnalysisNote> notes,
        IReadOnlyList<ChangedFile> files,
        RiskOptions options,
        RiskThresholds thresholds)
    {
        var explanation = new List<string>();
        var score = findings.Sum(f => Weights[f.Severity]);
        var level = RiskLevel.None;
        if (findings.Count == 0)
        {
            explanation.Add("no findings: score 0");
        }
        else
        {
            var bySeverity = findings.GroupBy(f => f.Severity).OrderByDescending(g => g.Key)
                .Select(g => $"{g.Count()} {Name(g.Key)}");
            explanation.Add($"{findings.Count} finding(s): {string.Join(", ", bySeverity)} → score {score}");
            var worst = findings.Max(f => f.Severity);
            level = worst == Severity.Info ? RiskLevel.None : (RiskLevel)(int)worst;
            explanation.Add($"highest severity {Name(worst)} → level {Name(level)}");
        }

        var band = score >= thresholds["score_critical"] ? RiskLevel.Critical
            : score >= thresholds["score_high"] ? RiskLevel.High
            : score >= thresholds["score_medium"] ? RiskLevel.Medium
            : score >= thresholds["score_low"] ? RiskLevel.Low
            : RiskLevel.None;
        if (band > level)
        {
            explanation.Add($"score {score} ≥ score_{Name(band)} {thresholds["score_" + Name(band)].ToString(CultureInfo.InvariantCulture)} → level {Name(band)}");
            level = band;
        }

        if (options.SensitivePaths.Count > 0)
        {
            var globs = options.SensitivePaths.Select(g => (Glob: g, Regex: PathRules.Glob(g))).ToList();
            var hit = files
                .SelectMany(f => new[] { f.Path, f.PreviousPath }.OfType<string>().Select(p => (Path: p, Glob: globs.FirstOrDefault(g => g.Regex.IsMatch(p)).Glob)))
                .FirstOrDefault(x => x.Glob is not null);
            if (hit.Glob is not null)
            {
                var raised = (RiskLevel)Math.Min((int)RiskLevel.Critical, Math.Max((int)level + 1, (int)RiskLevel.Medium));
                explanation.Add($"sensitive path {hit.Path} matches '{hit.Glob}' → level raised from {Name(level)} to {Name(raised)}");
                level = raised;
            }
        }

        if (notes.Count > 0)
        {
            explanation.Add($"{notes.Count} note(s): some files were not (fully) analysed, see notes");
        }

        return new RiskReport
        {
            Level = level,
            Score = score,
            Findings = findings,
            Metrics = metrics,
            Notes = notes,
            Explanation = explanation,
        };
    }

    private static string Name(Severity s) => s.ToString().ToLowerInvariant();

    private static string Name(RiskLevel l) => l.ToString().ToLowerInvariant();
}
