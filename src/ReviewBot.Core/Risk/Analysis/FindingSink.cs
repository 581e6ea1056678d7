using ReviewBot.Core.Risk.Analysis;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Risk;

/// <summary>Collects findings, honouring disabled rule ids and severity overrides of <see cref="RiskOptions"/>.</summary>
public sealed class FindingSink(RiskOptions options)
{
    private readonly List<Finding> findings = [];
    private readonly HashSet<string> disabled = new(options.Disabled, StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Severity> overrides = new(options.Severities, StringComparer.OrdinalIgnoreCase);
    private readonly List<(RiskIgnore Entry, Policy.Glob[] Globs)> ignores =
        options.Ignore.Select(i => (i, i.Paths.Select(RiskScorer.RiskPathGlob).ToArray())).ToList();

    private readonly Dictionary<RiskIgnore, int> ignoredCounts = [];

    /// <summary>One line per <c>risk.ignore</c> entry that set findings aside, for the report's explanation (and so the check).</summary>
    public IEnumerable<string> IgnoredExplanation => ignoredCounts.Select(e =>
        $"risk.ignore: {e.Value} {e.Key.RuleId} finding(s) in {string.Join(", ", e.Key.Paths)} not counted (reason: {e.Key.Reason})");

    public RiskOptions Options { get; } = options;

    private readonly Dictionary<(string Rule, string Cause), (int Index, List<Finding> All)> causes = [];

    /// <summary>
    /// The findings; those that share a cause are one finding, placed at the first occurrence in path and line order,
    /// that names where else the cause shows.
    /// </summary>
    public IReadOnlyList<Finding> Findings
    {
        get
        {
            if (causes.Count == 0)
            {
                return findings;
            }

            var result = findings.ToList();
            foreach (var (index, all) in causes.Values)
            {
                if (all.Count > 1)
                {
                    var ordered = all.OrderBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.StartLine).ToList();
                    var elsewhere = ordered.Skip(1).Select(f => $"{f.Path}:{f.StartLine}").ToList();
                    var shown = string.Join(", ", elsewhere.Take(3)) + (elsewhere.Count > 3 ? ", …" : "");
                    result[index] = ordered[0] with { Message = $"{ordered[0].Message} (and {elsewhere.Count} more: {shown})" };
                }
            }

            return result;
        }
    }

    public bool IsEnabled(RuleDescriptor rule) => !disabled.Contains(rule.Id);

    public void Add(
        RuleDescriptor rule,
        string path,
        Side side,
        int startLine,
        int endLine,
        string message,
        string? code = null,
        Severity? severity = null,
        string? cause = null,
        IReadOnlyList<int>? cwes = null)
    {
        if (!IsEnabled(rule))
        {
            return;
        }

        foreach (var (entry, globs) in ignores)
        {
            if (path.Length > 0 && string.Equals(entry.RuleId, rule.Id, StringComparison.OrdinalIgnoreCase) && globs.Any(g => g.IsMatch(path)))
            {
                ignoredCounts[entry] = ignoredCounts.GetValueOrDefault(entry) + 1;
                return;
            }
        }

        // One finding per cause: the occurrences of a cause share one slot in the list.
        List<Finding>? occurrences = null;
        if (cause is not null)
        {
            if (causes.TryGetValue((rule.Id, cause), out var known))
            {
                occurrences = known.All;
            }
            else
            {
                causes[(rule.Id, cause)] = (findings.Count, occurrences = []);
            }
        }

        var finding = new Finding
        {
            RuleId = rule.Id,
            Category = rule.Category,
            Severity = overrides.TryGetValue(rule.Id, out var forced) ? forced : severity ?? rule.Severity,
            Title = rule.Title,
            Message = message,
            Path = path,
            StartLine = startLine,
            EndLine = Math.Max(startLine, endLine),
            Side = side,
            Code = code,
            Cwes = cwes ?? rule.Cwes,
        };
        if (occurrences is { Count: > 0 })
        {
            occurrences.Add(finding);
            return;
        }

        occurrences?.Add(finding);
        findings.Add(finding);
    }

    /// <summary>A finding placed on a member's declaration line (none in test code for a rule <see cref="TestCode"/> does not judge there).</summary>
    /// <param name="cause">Findings of the rule with the same cause are reported once (e.g. one type renamed in many signatures).</param>
    public void Report(IRiskRule rule, MemberVersion at, string message, Severity? severity = null, string? cause = null)
    {
        if (at.IsTestFile && !TestCode.Judges(rule.Descriptor))
        {
            return;
        }

        var (start, end) = at.DeclarationLines;
        Add(rule.Descriptor, at.Path, at.Side, start, end, message, at.DeclarationCode, severity, cause);
    }
}
