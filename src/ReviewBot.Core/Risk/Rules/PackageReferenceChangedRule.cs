using System.Xml;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using System.Xml.Linq;
using ReviewBot.Core.Risk.Analysis;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB7001: NuGet dependencies added or their versions changed (project files, central package props, packages.config).</summary>
public sealed class PackageReferenceChangedRule : IFileRule, ISyntaxRule
{
    private static readonly HashSet<string> Elements = new(["PackageReference", "PackageVersion", "GlobalPackageReference", "package"], StringComparer.Ordinal);

    public RuleDescriptor Descriptor { get; } = new(
        "RB7001", RiskCategories.SupplyChain, Severity.Medium, "Package dependency added or changed",
        "A new PackageReference/PackageVersion (or #:package line of a file-based app), or a changed version, brings third-party code (and its install-time build logic) into the build: check the package's name (typosquatting), publisher and licence. A downgrade is raised to high. Upgrades of packages already referenced within their major version (within their minor version below 1.0) are not reported: the publisher's compatibility promise covers them and the code came from the same publisher before; major upgrades are one low finding per file, except in test, sample and benchmark projects, which ship to nobody. A project referencing a package whose version is managed centrally is low (the central PackageVersion line is where the package is added).");

    public bool NeedsContent(string path) => IsPackageFile(path);

    private const string CentralVersion = "(central)";

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.IgnoredDirectiveTrivia];

    public IReadOnlyList<string> Triggers { get; } = ["package"];

    /// <summary><c>#:package Id@Version</c> of a file-based app (.NET 10): a dependency like a PackageReference.</summary>
    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        if (FileBasedApp.Package(node.ToString()) is not var (id, version))
        {
            return;
        }

        context.Report(this, node, $"package {id} {version ?? "(no version)"} added or its version changed (#:package of a file-based app)", key: $"package:{id}@{version}");
    }

    public void Inspect(FileChangeContext context)
    {
        if (!IsPackageFile(context.File.Path) || context.HeadText is null)
        {
            return;
        }

        var before = Packages(context.BaseText);
        var after = Packages(context.HeadText);
        if (after is null)
        {
            context.ReportFile(this, "package file changed but is not well-formed XML: dependencies could not be compared");
            return;
        }

        // New packages and downgrades one by one; upgrades of packages already used are one low finding per file
        // (a coordinated bump of twenty packages is one decision, and the code came from the same publishers before).
        var upgrades = new List<(string Id, string From, string To, int Line)>();
        foreach (var (id, (version, line)) in after)
        {
            if (before is null || !before.TryGetValue(id, out var old))
            {
                // A reference without a version takes the central PackageVersion: the package itself was vetted there.
                var central = version == CentralVersion;
                context.ReportLine(this, Side.Head, line, central ? $"package {id} referenced (version managed centrally)" : $"package {id} {version} added",
                    AnalyzerSeverityLoweredRule.Line(context.HeadText, line), central ? Severity.Low : null);
            }
            else if (!string.Equals(old.Version, version, StringComparison.OrdinalIgnoreCase))
            {
                if (IsDowngrade(old.Version, version))
                {
                    context.ReportLine(this, Side.Head, line, $"package {id} downgraded from {old.Version} to {version}",
                        AnalyzerSeverityLoweredRule.Line(context.HeadText, line), Severity.High);
                }
                else
                {
                    upgrades.Add((id, old.Version, version, line));
                }
            }
        }

        var majors = PathRules.IsTestPath(context.File.Path) || PathRules.IsSampleOrBenchmarkPath(context.File.Path)
            ? [] : upgrades.Where(u => IsMajorUpgrade(u.From, u.To)).ToList();
        if (majors.Count > 0)
        {
            var first = majors.MinBy(u => u.Line);
            var listed = string.Join(", ", majors.OrderBy(u => u.Line).Take(5).Select(u => $"{u.Id} {u.From} → {u.To}")) + (majors.Count > 5 ? ", …" : "");
            context.ReportLine(this, Side.Head, first.Line, $"{majors.Count} package(s) upgraded to a new major version: {listed}",
                AnalyzerSeverityLoweredRule.Line(context.HeadText, first.Line), Severity.Low);
        }
    }

    /// <summary>
    /// A new major version (a new minor version below 1.0, where semantic versioning promises nothing), or a version
    /// that is no plain number (a property, a floating range): the package may have changed what it does.
    /// </summary>
    internal static bool IsMajorUpgrade(string before, string after)
        => LowestVersion(before) is not { } b || LowestVersion(after) is not { } a || a.Major > b.Major || (b.Major == 0 && a.Major == 0 && a.Minor > b.Minor);

    /// <summary>The version a reference asks for: "1.2.3", "1.2.3-beta", or a range's lower bound ("[2.0.0, 3.0.0)").</summary>
    private static Version? LowestVersion(string version)
    {
        var lower = version.Trim().TrimStart('[', '(').Split(',')[0].TrimEnd(']', ')').Split('-')[0].Split('+')[0].Trim();
        return Version.TryParse(lower.Contains('.', StringComparison.Ordinal) ? lower : lower + ".0", out var parsed) ? parsed : null;
    }

    internal static bool IsPackageFile(string path)
    {
        var name = PathRules.FileName(path);
        return name.EndsWith("proj", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".props", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".targets", StringComparison.OrdinalIgnoreCase) || name.Equals("packages.config", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Package id → (version, line); null when the text is not XML.</summary>
    private static Dictionary<string, (string Version, int Line)>? Packages(string? text)
    {
        if (text is null)
        {
            return null;
        }

        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException)
        {
            return null;
        }

        var result = new Dictionary<string, (string, int)>(StringComparer.OrdinalIgnoreCase);
        foreach (var element in document.Descendants().Where(e => Elements.Contains(e.Name.LocalName)))
        {
            var id = (string?)element.Attribute("Include") ?? (string?)element.Attribute("Update") ?? (string?)element.Attribute("id");
            if (id is null)
            {
                continue;
            }

            var version = (string?)element.Attribute("Version") ?? (string?)element.Attribute("version")
                ?? element.Elements().FirstOrDefault(e => e.Name.LocalName == "Version")?.Value ?? CentralVersion;
            result[id] = (version, ((IXmlLineInfo)element).LineNumber);
        }

        return result;
    }

    private static bool IsDowngrade(string before, string after)
        => LowestVersion(before) is { } b && LowestVersion(after) is { } a && a < b;
}
