using ReviewBot.Core.Risk;
using ReviewBot.Core.Risk.Analysis;
using ReviewBot.Core.Risk.Rules;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Policy;

/// <summary>
/// Whether a change uses a <see cref="Capability"/>, answered with the fact that shows it ("package.json changed"),
/// or null when it does not. Pure: reads the snapshot's files and patches and the risk report.
/// </summary>
public static class AgentChangeFacts
{
    /// <summary>
    /// Where a repository's rules file is looked for, in order (docs: rules/README.md); the first that exists wins.
    /// The one list: the rules locator (ReviewBot.Pipeline) reads it from here, as Core cannot reference it.
    /// </summary>
    public static IReadOnlyList<string> RulesFilePaths { get; } = [".github/reviewbot.yml", ".gitlab/reviewbot.yml", ".reviewbot.yml"];

    /// <summary>Dependency manifests and lock files of other ecosystems than .NET: any change to one is a dependency change.</summary>
    public static IReadOnlyList<string> ManifestNames { get; } =
    [
        "package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lockb",
        "requirements.txt", "Pipfile", "Pipfile.lock", "pyproject.toml", "poetry.lock", "uv.lock",
        "go.mod", "go.sum", "Cargo.toml", "Cargo.lock", "Gemfile", "Gemfile.lock", "pom.xml", "build.gradle",
        "build.gradle.kts", "gradle.lockfile", "composer.json", "composer.lock", "packages.lock.json",
        "paket.dependencies", "paket.lock", "nuget.config", "vcpkg.json", "pubspec.yaml", "mix.exs",
    ];

    /// <summary>Agent instructions, agent tool configuration and MCP server configuration (globs, case-insensitive).</summary>
    public static PatternSet AgentConfigPaths { get; } = PatternSet.Compile(
        [
            "**/AGENTS.md", "**/AGENT.md", "**/CLAUDE.md", "**/CLAUDE.local.md", "**/GEMINI.md", ".claude/**",
            ".github/copilot-instructions.md", ".github/instructions/**", ".github/prompts/**", ".github/chatmodes/**",
            ".github/agents/**", ".github/workflows/copilot-setup-steps.yml", ".github/workflows/copilot-setup-steps.yaml",
            ".cursor/**", ".cursorrules", ".windsurf/**", ".windsurfrules", ".clinerules", ".clinerules/**", ".continue/**",
            ".codex/**", ".gemini/**", ".aider.conf.yml", ".mcp.json", ".vscode/mcp.json",
        ],
        ignoreCase: true,
        (_, error) => throw new InvalidOperationException(error));

    /// <summary>Risk rules whose findings mean tests were weakened: a test skipped, assertions removed, tests deleted.</summary>
    public static IReadOnlyList<string> TestWeakeningRules { get; } = ["RB6003", "RB6004", "RB6005"];

    /// <summary>The fact showing the change uses <paramref name="capability"/>, or null.</summary>
    public static string? Evidence(Capability capability, PullRequestSnapshot snapshot, RiskReport risk, string rulesPath) => capability switch
    {
        Capability.Dependencies => Dependencies(snapshot.Files),
        Capability.WeakenTests => risk.Findings.FirstOrDefault(f => TestWeakeningRules.Contains(f.RuleId, StringComparer.OrdinalIgnoreCase)) is { } finding
            ? $"{finding.RuleId} in {finding.Path}:{finding.StartLine}: {finding.Message}"
            : null,
        Capability.Ci => FirstPath(snapshot.Files, CiPipelineChangedRule.IsPipeline) is { } ci ? $"CI pipeline {ci} changed" : null,
        Capability.Rules => FirstPath(snapshot.Files, path => IsRulesFile(path, rulesPath)) is { } rules ? $"rules file {rules} changed" : null,
        Capability.AgentConfig => FirstPath(snapshot.Files, AgentConfigPaths.IsMatch) is { } config ? $"agent configuration {config} changed" : null,
        _ => throw new ArgumentOutOfRangeException(nameof(capability), capability, "not a capability"),
    };

    /// <summary>
    /// A dependency added, removed or re-versioned: any change to a manifest of <see cref="ManifestNames"/>
    /// (requirements-*.txt included), or a .NET project, props or packages.config file whose diff touches a
    /// package line (a .NET file without a diff counts: it cannot be shown not to), or a <c>#:package</c> line of a file-based app.
    /// </summary>
    public static string? Dependencies(IReadOnlyList<ChangedFile> files)
    {
        foreach (var file in files)
        {
            foreach (var path in ChangedPaths.Of(file))
            {
                var name = PathRules.FileName(path);
                if (ManifestNames.Contains(name, StringComparer.OrdinalIgnoreCase)
                    || (name.StartsWith("requirements", StringComparison.OrdinalIgnoreCase) && name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase)))
                {
                    return $"dependency manifest {path} changed";
                }

                if (PackageReferenceChangedRule.IsPackageFile(path))
                {
                    if (file.Patch is null)
                    {
                        return $"{path} changed and its diff is not available, so a package change cannot be ruled out";
                    }

                    if (ChangedLine(file.Patch, line => PackageElements.Any(e => line.Contains(e, StringComparison.Ordinal))) is { } package)
                    {
                        return $"package line changed in {path}: {package}";
                    }
                }
            }

            if (file.Patch is { } patch && ChangedLine(patch, line => line.TrimStart().StartsWith("#:package", StringComparison.Ordinal)) is { } directive)
            {
                return $"package directive changed in {file.Path}: {directive}";
            }
        }

        return null;
    }

    private static readonly string[] PackageElements = ["<PackageReference", "<PackageVersion", "<GlobalPackageReference", "<package "];

    /// <summary>The first added or removed line of a unified diff satisfying the test, trimmed.</summary>
    private static string? ChangedLine(string patch, Func<string, bool> test)
    {
        foreach (var line in patch.Split('\n'))
        {
            if (line.Length > 0 && (line[0] == '+' || line[0] == '-') && !line.StartsWith("+++", StringComparison.Ordinal)
                && !line.StartsWith("---", StringComparison.Ordinal) && test(line[1..]))
            {
                return line.Trim();
            }
        }

        return null;
    }

    private static bool IsRulesFile(string path, string rulesPath)
    {
        var own = rulesPath.Replace('\\', '/');
        own = own.StartsWith("./", StringComparison.Ordinal) ? own[2..] : own;
        return RulesFilePaths.Contains(path, StringComparer.Ordinal) || string.Equals(path, own, StringComparison.Ordinal);
    }

    private static string? FirstPath(IReadOnlyList<ChangedFile> files, Func<string, bool> test)
        => files.SelectMany(ChangedPaths.Of).FirstOrDefault(test);
}
