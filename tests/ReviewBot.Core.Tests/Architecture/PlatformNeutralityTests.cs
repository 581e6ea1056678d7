using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ReviewBot.TestSupport;

namespace ReviewBot.Core.Tests.Architecture;

/// <summary>
/// Core never asks which platform a snapshot came from: platform differences are facts the adapter states
/// (<c>IdentityFacts</c>). An enum comparison leaves nothing to find in the compiled assembly, so this reads Core's
/// sources: no <c>Platform.GitHub</c>/<c>GitLab</c>/<c>Local</c>, and no read of a snapshot's <c>.Platform</c>.
/// </summary>
public sealed class PlatformNeutralityTests
{
    private static readonly string[] PlatformNames = ["GitHub", "GitLab", "Local"];

    [Fact]
    public void Core_does_not_branch_on_the_platform()
    {
        var core = Path.Combine(TestPaths.RepoRoot, "src", "ReviewBot.Core");
        var uses = Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => PlatformUses(File.ReadAllText(f)).Select(u => $"{Path.GetRelativePath(core, f)}:{u}"))
            .ToList();

        Assert.True(uses.Count == 0, "Core reads the platform instead of a fact on the snapshot:\n" + string.Join('\n', uses));
    }

    [Fact]
    public void The_check_finds_a_branch_on_the_platform()
    {
        const string source = """
            class C
            {
                bool Trusted(PullRequestSnapshot s) => s.Platform != Platform.GitLab;
                InitiatorSource Source() => InitiatorSource.Platform;
            }
            """;

        Assert.Equal(["3: s.Platform", "3: Platform.GitLab"], PlatformUses(source));
    }

    /// <summary>Line and text of each mention of a platform's name or read of a <c>.Platform</c> member.</summary>
    private static IEnumerable<string> PlatformUses(string source)
        => CSharpSyntaxTree.ParseText(source).GetRoot().DescendantNodes().OfType<MemberAccessExpressionSyntax>()
            .Where(m => (m.Expression is IdentifierNameSyntax { Identifier.ValueText: "Platform" } && PlatformNames.Contains(m.Name.Identifier.ValueText))
                || (m.Name.Identifier.ValueText == "Platform" && m.Expression is not IdentifierNameSyntax { Identifier.ValueText: "InitiatorSource" }))
            .Select(m => $"{m.GetLocation().GetLineSpan().StartLinePosition.Line + 1}: {m}");
}
