using System.Text.RegularExpressions;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Risk.Analysis;

/// <summary>What a C# file's project is: a published library, an application, or test code.</summary>
public enum ProjectKind
{
    /// <summary>No project file found by the naming convention: treated like a library (public API rules apply).</summary>
    Unknown,

    /// <summary>A library published as a package: its public API is a contract with code outside the repository.</summary>
    PublishedLibrary,

    /// <summary>A web app, service, tool or internal library: its public members are only used inside the solution, where the compiler checks every caller.</summary>
    Application,

    /// <summary>A test project (test SDK or framework referenced, or <c>IsTestProject</c>).</summary>
    Test,
}

/// <summary>
/// Finds each C# file's project by the usual convention (the nearest folder <c>D</c> above the file holding
/// <c>D/D.csproj</c>) and classifies it from that project file and the <c>Directory.Build.props</c> files above it,
/// read in the analyzer's one batched request. Published library: package metadata (<c>PackageId</c>,
/// <c>PackageTags</c>, <c>PackageProjectUrl</c>, <c>PackageLicenseExpression</c>, <c>GeneratePackageOnBuild</c> or
/// <c>IsPackable</c> true) in the project or a props file above it, and not an application. Application: the Web or
/// Worker SDK, <c>OutputType</c> Exe/WinExe, <c>IsPackable</c> false (the nearest setting wins), or a plain library
/// without package metadata. Test: a test SDK or framework reference, or <c>IsTestProject</c> true.
/// </summary>
public sealed partial class ProjectKinds
{
    private readonly Dictionary<string, ProjectKind> byDirectory = new(StringComparer.Ordinal);
    private readonly Func<string, string?> read;

    /// <param name="read">The text of a repository path (head side, else base), or null when absent.</param>
    public ProjectKinds(Func<string, string?> read) => this.read = read;

    /// <summary>The project and props files to fetch for these C# files, on both sides.</summary>
    public static IEnumerable<FileRequest> Requests(IEnumerable<string> csharpPaths)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in csharpPaths)
        {
            for (var dir = PathRules.Directory(path); ; dir = PathRules.Directory(dir))
            {
                if (dir.Length > 0)
                {
                    paths.Add(ProjectFile(dir));
                }

                paths.Add(Props(dir));
                if (dir.Length == 0)
                {
                    break;
                }
            }
        }

        return paths.SelectMany(p => new[] { new FileRequest(p, Side.Head), new FileRequest(p, Side.Base) });
    }

    public ProjectKind KindOf(string csharpPath)
    {
        var dir = PathRules.Directory(csharpPath);
        if (byDirectory.TryGetValue(dir, out var known))
        {
            return known;
        }

        var kind = ProjectKind.Unknown;
        for (var d = dir; d.Length > 0; d = PathRules.Directory(d))
        {
            if (read(ProjectFile(d)) is { } project)
            {
                kind = Classify(project, PropsAbove(d));
                break;
            }
        }

        byDirectory[dir] = kind;
        return kind;
    }

    private IEnumerable<string> PropsAbove(string dir)
    {
        for (var d = dir; ; d = PathRules.Directory(d))
        {
            if (read(Props(d)) is { } props)
            {
                yield return props;
            }

            if (d.Length == 0)
            {
                yield break;
            }
        }
    }

    /// <summary>Classifies a project from its text and the props files above it (nearest first).</summary>
    internal static ProjectKind Classify(string project, IEnumerable<string> propsNearestFirst)
    {
        var props = propsNearestFirst.ToList();
        if (TestProject().IsMatch(project))
        {
            return ProjectKind.Test;
        }

        if (ApplicationSdk().IsMatch(project) || ExecutableOutput().IsMatch(project))
        {
            return ProjectKind.Application;
        }

        var packable = new[] { project }.Concat(props).Select(t => Packable().Match(t)).FirstOrDefault(m => m.Success);
        if (packable is not null)
        {
            return packable.Groups[1].Value.Equals("true", StringComparison.OrdinalIgnoreCase) ? ProjectKind.PublishedLibrary : ProjectKind.Application;
        }

        return new[] { project }.Concat(props).Any(t => PackageMetadata().IsMatch(t)) ? ProjectKind.PublishedLibrary : ProjectKind.Application;
    }

    private static string ProjectFile(string dir) => dir + "/" + PathRules.FileName(dir) + ".csproj";

    private static string Props(string dir) => dir.Length == 0 ? "Directory.Build.props" : dir + "/Directory.Build.props";

    [GeneratedRegex(@"<IsTestProject>\s*true\s*</IsTestProject>|Include=""(Microsoft\.NET\.Test\.Sdk|xunit|xunit\.v3|NUnit|MSTest\.TestFramework|MSTest)""|Sdk=""MSTest\.Sdk", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex TestProject();

    [GeneratedRegex(@"Sdk=""Microsoft\.NET\.Sdk\.(Web|Worker|BlazorWebAssembly)""|<Sdk\s+Name=""Microsoft\.NET\.Sdk\.(Web|Worker)""", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex ApplicationSdk();

    [GeneratedRegex(@"<OutputType>\s*(Win)?Exe\s*</OutputType>", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex ExecutableOutput();

    [GeneratedRegex(@"<IsPackable>\s*(true|false)\s*</IsPackable>", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex Packable();

    [GeneratedRegex(@"<(PackageId|PackageTags|PackageProjectUrl|PackageLicenseExpression|PackageLicenseFile|GeneratePackageOnBuild)>", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex PackageMetadata();
}
