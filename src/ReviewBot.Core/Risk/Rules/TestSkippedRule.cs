using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB6003: tests switched off with skip/ignore attributes.</summary>
public sealed class TestSkippedRule : ISyntaxRule
{
    private static readonly HashSet<string> TestAttributes =
        ["Fact", "Theory", "Test", "TestMethod", "DataTestMethod", "TestCase", "SkippableFact", "SkippableTheory"];

    private static readonly HashSet<string> SkipAttributes = ["Ignore", "Skip", "Explicit"];

    public RuleDescriptor Descriptor { get; } = new(
        "RB6003", RiskCategories.Tests, Severity.Medium, "Test skipped",
        "[Fact(Skip = ...)], [Ignore], [Explicit] and similar switch a test off while it still counts as present: the behaviour it pinned is no longer checked. A conditional skip (xUnit's SkipUnless/SkipWhen) still runs where its condition holds and is not reported.");

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.Attribute];

    public IReadOnlyList<string> Triggers { get; } = ["Skip", .. SkipAttributes];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        var attribute = (AttributeSyntax)node;
        var name = SyntaxHelpers.AttributeName(attribute);
        var arguments = attribute.ArgumentList?.Arguments.Select(a => a.NameEquals?.Name.Identifier.ValueText).ToList() ?? [];
        var skipped = (TestAttributes.Contains(name) && arguments.Contains("Skip") && !arguments.Any(a => a is "SkipUnless" or "SkipWhen"))
            || (SkipAttributes.Contains(name) && context.IsTestFile);
        if (skipped)
        {
            context.Report(this, attribute, $"test switched off with [{attribute}]", key: "skip:" + name);
        }
    }
}
