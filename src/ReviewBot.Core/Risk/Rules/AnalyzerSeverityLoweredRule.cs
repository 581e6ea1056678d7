using System.Text.RegularExpressions;
using ReviewBot.Core.Risk.Analysis;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB6002: diagnostics switched off in .editorconfig/.globalconfig or project files.</summary>
public sealed partial class AnalyzerSeverityLoweredRule : IFileRule
{
    private static readonly Dictionary<string, int> Rank = new(StringComparer.OrdinalIgnoreCase)
    {
        ["none"] = 0,
        ["silent"] = 1,
        ["hidden"] = 1,
        ["suggestion"] = 2,
        ["info"] = 2,
        ["warning"] = 3,
        ["default"] = 3,
        ["error"] = 4,
    };

    private static readonly (string Property, string Value)[] RiskyProperties =
    [
        ("TreatWarningsAsErrors", "false"), ("RunAnalyzers", "false"), ("RunAnalyzersDuringBuild", "false"), ("EnableNETAnalyzers", "false"),
        ("AnalysisLevel", "none"), ("AnalysisMode", "None"), ("EnableUnsafeBinaryFormatterSerialization", "true"), ("Nullable", "disable"),
    ];

    public RuleDescriptor Descriptor { get; } = new(
        "RB6002", RiskCategories.Suppression, Severity.Medium, "Analyzer severity lowered",
        ".editorconfig/.globalconfig lowering dotnet_diagnostic.<id>.severity (to none, silent or suggestion), or a project file adding <NoWarn> ids, TreatWarningsAsErrors=false, RunAnalyzers=false or EnableUnsafeBinaryFormatterSerialization=true, silences checks for the whole project. Raised to high for security ids; a <NoWarn> of a library's experimental-API diagnostic is low.");

    public bool NeedsContent(string path) => IsConfig(path) || IsProject(path);

    public void Inspect(FileChangeContext context)
    {
        var path = context.File.Path;
        if (context.HeadText is null || !NeedsContent(path))
        {
            return;
        }

        if (IsConfig(path))
        {
            var before = Severities(context.BaseText ?? "");
            foreach (var (id, (severity, line)) in Severities(context.HeadText))
            {
                var old = before.TryGetValue(id, out var b) ? b.Severity : "default";
                if (Rank.TryGetValue(severity, out var now) && Rank.TryGetValue(old, out var was) && now < was)
                {
                    var security = SuppressionAddedRule.IsSecurityId(id) || id == "*";
                    context.ReportLine(this, Side.Head, line, $"{id} severity lowered from {old} to {severity}", Line(context.HeadText, line),
                        security ? Severity.High : null);
                }
            }

            return;
        }

        var baseNoWarn = NoWarnIds(context.BaseText ?? "");
        foreach (var (id, line) in NoWarnIdsWithLines(context.HeadText))
        {
            if (!baseNoWarn.Contains(id))
            {
                var experimental = SuppressionAddedRule.IsExperimentalOptIn(id);
                context.ReportLine(this, Side.Head, line, $"<NoWarn> {id} added" + (experimental ? ": opts in to an experimental API" : ""), Line(context.HeadText, line),
                    SuppressionAddedRule.IsSecurityId(id) ? Severity.High : experimental ? Severity.Low : null);
            }
        }

        foreach (var (property, value) in RiskyProperties)
        {
            var pattern = $"<{property}>\\s*{value}\\s*</{property}>";
            var headLine = FindLine(context.HeadText, pattern);
            if (headLine > 0 && FindLine(context.BaseText ?? "", pattern) == 0)
            {
                context.ReportLine(this, Side.Head, headLine, $"<{property}>{value}</{property}> added", Line(context.HeadText, headLine),
                    property == "EnableUnsafeBinaryFormatterSerialization" ? Severity.High : null);
            }
        }
    }

    internal static bool IsConfig(string path)
    {
        var name = PathRules.FileName(path);
        return name.Equals(".editorconfig", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".globalconfig", StringComparison.OrdinalIgnoreCase);
    }

    internal static bool IsProject(string path)
    {
        var name = PathRules.FileName(path);
        return name.EndsWith("proj", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".props", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".targets", StringComparison.OrdinalIgnoreCase);
    }

    internal static string Line(string text, int line)
    {
        var lines = text.Split('\n');
        return line >= 1 && line <= lines.Length ? lines[line - 1].Trim() : "";
    }

    private static int FindLine(string text, string pattern)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (Regex.IsMatch(lines[i], pattern, RegexOptions.IgnoreCase, TimeSpan.FromMilliseconds(1000)))
            {
                return i + 1;
            }
        }

        return 0;
    }

    private static Dictionary<string, (string Severity, int Line)> Severities(string text)
    {
        var result = new Dictionary<string, (string, int)>(StringComparer.OrdinalIgnoreCase);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var m = SeverityLine().Match(lines[i]);
            if (m.Success)
            {
                result[m.Groups["id"].Value] = (m.Groups["sev"].Value, i + 1);
            }
        }

        return result;
    }

    private static HashSet<string> NoWarnIds(string text) => NoWarnIdsWithLines(text).Select(x => x.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static List<(string Id, int Line)> NoWarnIdsWithLines(string text)
    {
        var result = new List<(string, int)>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            foreach (Match m in NoWarnElement().Matches(lines[i]))
            {
                foreach (var id in m.Groups[1].Value.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (!id.StartsWith("$(", StringComparison.Ordinal))
                    {
                        result.Add((id, i + 1));
                    }
                }
            }
        }

        return result;
    }

    [GeneratedRegex(@"^\s*dotnet_(?:analyzer_)?diagnostic\.(?<id>[^.\s=]+)(?:\.[^.\s=]+)?\.severity\s*=\s*(?<sev>\w+)", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex SeverityLine();

    [GeneratedRegex(@"<NoWarn>([^<]*)</NoWarn>", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex NoWarnElement();
}
