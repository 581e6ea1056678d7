using ReviewBot.Core.Risk.Analysis;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB7002: build logic changed: Directory.Build.*, *.targets, global.json, tool manifests, Exec/Target in project files.</summary>
public sealed partial class BuildConfigurationChangedRule : IFileRule
{
    private static readonly string[] RiskyProjectLines = ["<Exec ", "<Target ", "<UsingTask ", "<AllowUnsafeBlocks>true", "<Import ", "<PackageSource"];

    public RuleDescriptor Descriptor { get; } = new(
        "RB7002", RiskCategories.SupplyChain, Severity.Medium, "Build configuration changed",
        "Directory.Build.props/targets, *.targets, global.json (SDK version), .config/dotnet-tools.json, or project files gaining <Exec>, <Target>, <UsingTask>, <Import> or AllowUnsafeBlocks change what runs at build time on every developer machine and CI runner. A change that only moves versions (target frameworks, SDK, tools) is low; one that only edits XML comments is none.");

    public bool NeedsContent(string path) => IsProject(path) || IsBuildFile(path);

    [System.Text.RegularExpressions.GeneratedRegex(@"<!--.*?-->", System.Text.RegularExpressions.RegexOptions.Singleline, 1000)]
    private static partial System.Text.RegularExpressions.Regex XmlComment();

    private static bool IsProject(string path) => PathRules.FileName(path).EndsWith("proj", StringComparison.OrdinalIgnoreCase);

    private static bool IsBuildFile(string path)
    {
        var name = PathRules.FileName(path);
        return name.StartsWith("Directory.Build.", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".targets", StringComparison.OrdinalIgnoreCase)
            || name.Equals("global.json", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".config/dotnet-tools.json", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Directory.Packages.props", StringComparison.OrdinalIgnoreCase);
    }

    public void Inspect(FileChangeContext context)
    {
        var path = context.File.Path;
        var name = PathRules.FileName(path);
        if (IsBuildFile(path) && !(name.Equals("Directory.Packages.props", StringComparison.OrdinalIgnoreCase) && context.File.Status == FileStatus.Modified))
        {
            if (context.BaseText is { } was && context.HeadText is { } now && XmlComment().Replace(was, "") == XmlComment().Replace(now, ""))
            {
                return; // only comments changed
            }

            if (VersionBump.Only(context.BaseText, context.HeadText))
            {
                context.ReportFile(this, $"{name} changed: only versions (target framework, SDK or tool versions) moved", Severity.Low);
            }
            else
            {
                context.ReportFile(this, $"{name} {PathRules.StatusVerb(context.File.Status)}: build logic for every project below it");
            }

            return;
        }

        if (!IsProject(path) || context.HeadText is null)
        {
            return;
        }

        var baseLines = (context.BaseText ?? "").Split('\n').Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
        var lines = context.HeadText.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (!baseLines.Contains(line) && RiskyProjectLines.Any(r => line.StartsWith(r, StringComparison.OrdinalIgnoreCase)))
            {
                context.ReportLine(this, Side.Head, i + 1, $"project file gains build logic: {line.Split(' ', '>')[0]}>", line);
            }
        }
    }
}
