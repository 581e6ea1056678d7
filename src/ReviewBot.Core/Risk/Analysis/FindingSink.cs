using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Risk;

/// <summary>Collects findings, honouring disabled rule ids and severity overrides of <see cref="RiskOptions"/>.</summary>
public sealed class FindingSink(RiskOptions options)
{
    private readonly List<Finding> findings = [];
    private readonly HashSet<string> disabled = new(options.Disabled, StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Severity> overrides = new(options.Severities, StringComparer.OrdinalIgnoreCase);

    public RiskOptions Options { get; } = options;

    public IReadOnlyList<Finding> Findings => findings;

    public bool IsEnabled(RuleDescriptor rule) => !disabled.Contains(rule.Id);

    public void Add(
        RuleDescriptor rule,
        string path,
        Side side,
        int startLine,
        int endLine,
        string message,
        string? code = null,
        Severity? severity = null)
    {
        if (!IsEnabled(rule))
        {
            return;
        }

        findings.Add(new Finding
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
            Cwes = rule.Cwes,
        });
    }

    /// <summary>A finding placed on a member's declaration line.</summary>
    public void Report(IRiskRule rule, MemberVersion at, string message, Severity? severity = null)
    {
        var (start, end) = at.DeclarationLines;
        Add(rule.Descriptor, at.Path, at.Side, start, end, message, at.DeclarationCode, severity);
    }
}
