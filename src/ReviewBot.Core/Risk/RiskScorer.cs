using System.Globalization;
using ReviewBot.Core.Risk.Analysis;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Risk;

/// <summary>
/// Findings → score and level. Score = Σ severity weights (info 0, low 1, medium 4, high 10, critical 25), except
/// that the public-API findings of a change count once, at the worst of them: they describe one decision (to change
/// a library's contract), however many members it touches. Level = the higher of the worst finding's severity and the score band; a change touching a sensitive
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
        var api = findings.Where(f => f.Category == RiskCategories.Api).ToList();
        var score = findings.Where(f => f.Category != RiskCategories.Api).Sum(f => Weights[f.Severity])
            + (api.Count == 0 ? 0 : api.Max(f => Weights[f.Severity]));
        var level = RiskLevel.None;
        if (findings.Count == 0)
        {
            explanation.Add("no findings: score 0");
        }
        else
        {
            var bySeverity = findings.GroupBy(f => f.Severity).OrderByDescending(g => g.Key)
                .Select(g => $"{g.Count()} {Name(g.Key)}");
            explanation.Add($"{findings.Count} finding(s): {string.Join(", ", bySeverity)} → score {score}"
                + (api.Count > 1 ? $" (the {api.Count} public-API findings count once)" : ""));
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

        if (SensitiveHit(options.SensitivePaths, files) is { } hit)
        {
            var raised = (RiskLevel)Math.Min((int)RiskLevel.Critical, Math.Max((int)level + 1, (int)RiskLevel.Medium));
            explanation.Add($"sensitive path {hit.Path} matches '{hit.Glob}' → level raised from {Name(level)} to {Name(raised)}");
            level = raised;
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

    /// <summary>
    /// The report as eligible reviewers left it for this head: the dismissed findings move from <see cref="RiskReport.Findings"/>
    /// to <see cref="RiskReport.Dismissed"/>, and the score and level are those of the findings left (scored as
    /// <see cref="Score"/> does, with the same sensitive paths and thresholds). The analysis's own explanation stays, followed
    /// by what the dismissals changed.
    /// </summary>
    public static RiskReport Dismiss(RiskReport report, IReadOnlyList<DismissedFinding> dismissed, IReadOnlyList<ChangedFile> files, RiskOptions options)
    {
        if (dismissed.Count == 0)
        {
            return report;
        }

        var ids = dismissed.Select(d => d.Finding.Id).ToHashSet(StringComparer.Ordinal);
        var left = report.Findings.Where(f => !ids.Contains(f.Id)).ToList();
        var rescored = Score(left, report.Metrics, report.Notes, files, options, new RiskThresholds(options.Thresholds));
        return report with
        {
            Level = rescored.Level,
            Score = rescored.Score,
            Findings = left,
            Dismissed = [.. report.Dismissed, .. dismissed],
            Explanation =
            [
                .. report.Explanation,
                $"{dismissed.Count} finding(s) dismissed by reviewers for this head, not counted: {string.Join(", ", dismissed.Select(d => d.Finding.Id))}",
                .. rescored.Explanation.Where(line => !line.Contains("note(s)", StringComparison.Ordinal)).Select(line => "after dismissals: " + line),
            ],
        };
    }

    /// <summary>
    /// The first changed path (head or previous path) matching a sensitive glob and no <c>!</c>-negated one.
    /// </summary>
    public static (string Path, string Glob)? SensitiveHit(IReadOnlyList<string> globs, IReadOnlyList<ChangedFile> files)
    {
        if (globs.Count == 0)
        {
            return null;
        }

        // The rules parser's glob (validated there, so an invalid pattern cannot reach this point); case-insensitive,
        // and a pattern naming a folder ("src/Auth/") covers everything below it.
        var include = globs.Where(g => !g.StartsWith('!')).Select(g => (Glob: g, Regex: RiskPathGlob(g))).ToList();
        var exclude = globs.Where(g => g.StartsWith('!')).Select(g => RiskPathGlob(g[1..])).ToList();
        foreach (var file in files)
        {
            foreach (var path in new[] { file.Path, file.PreviousPath })
            {
                if (path is null || exclude.Any(x => x.IsMatch(path)))
                {
                    continue;
                }

                foreach (var (glob, regex) in include)
                {
                    if (regex.IsMatch(path))
                    {
                        return (path, glob);
                    }
                }
            }
        }

        return null;
    }

    private static string Name(Severity s) => s.ToString().ToLowerInvariant();

    private static string Name(RiskLevel l) => l.ToString().ToLowerInvariant();

    /// <summary>A path glob of the <c>risk:</c> section (sensitive_paths, ignore): case-insensitive, a trailing '/' covers the folder.</summary>
    internal static Policy.Glob RiskPathGlob(string pattern)
        => Policy.Glob.Compile(pattern.EndsWith('/') ? pattern + "**" : pattern, ignoreCase: true);
}
