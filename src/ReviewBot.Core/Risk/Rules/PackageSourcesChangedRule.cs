using System.Text.RegularExpressions;
using ReviewBot.Core.Risk.Analysis;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB7003: NuGet feeds changed.</summary>
public sealed partial class PackageSourcesChangedRule : IFileRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB7003", RiskCategories.SupplyChain, Severity.High, "Package sources changed",
        "NuGet.config decides where packages come from: a new or changed feed can serve a look-alike package (dependency confusion), and <clear/> removal or http:// feeds weaken the supply chain.");

    public bool NeedsContent(string path) => IsNuGetConfig(path);

    public void Inspect(FileChangeContext context)
    {
        if (!IsNuGetConfig(context.File.Path))
        {
            return;
        }

        if (context.HeadText is null)
        {
            context.ReportFile(this, $"NuGet.config {PathRules.StatusVerb(context.File.Status)}: package sources fall back to the machine's defaults");
            return;
        }

        var before = (context.BaseText ?? "").Split('\n').Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
        var lines = context.HeadText.Split('\n');
        var reported = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var m = SourceLine().Match(lines[i]);
            if (m.Success && !before.Contains(lines[i].Trim()))
            {
                var url = m.Groups["url"].Value;
                context.ReportLine(this, Side.Head, i + 1, $"package source '{m.Groups["key"].Value}' → {url} added or changed"
                    + (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? " (plain http)" : ""), lines[i].Trim());
                reported = true;
            }
        }

        var clearRemoved = (context.BaseText ?? "").Contains("<clear", StringComparison.OrdinalIgnoreCase)
            && !context.HeadText.Contains("<clear", StringComparison.OrdinalIgnoreCase);
        if (!reported && clearRemoved)
        {
            context.ReportFile(this, "<clear /> removed from NuGet.config: machine-wide feeds are used again");
        }
    }

    internal static bool IsNuGetConfig(string path) => PathRules.FileName(path).Equals("nuget.config", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"<add\s+key\s*=\s*""(?<key>[^""]*)""\s+value\s*=\s*""(?<url>[^""]*)""", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex SourceLine();
}
