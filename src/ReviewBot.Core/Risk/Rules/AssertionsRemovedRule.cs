using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB6004: assertions removed from a test that still exists.</summary>
public sealed class AssertionsRemovedRule : ISyntaxRule
{
    private static readonly HashSet<string> AssertTypes = ["Assert", "CollectionAssert", "StringAssert", "ClassicAssert", "FileAssert", "DirectoryAssert"];

    private static readonly HashSet<string> FluentNames = ["Should", "ShouldBe", "ShouldEqual", "ShouldNotBeNull", "Verify", "VerifyAll", "Received", "Expect"];

    public RuleDescriptor Descriptor { get; } = new(
        "RB6004", RiskCategories.Tests, Severity.Medium, "Assertions removed",
        "A test method kept its name but lost assertions (Assert.*, .Should(), Verify/Received): it still passes, and now checks less. Edited assertions are matched by kind, so only real removals count.");

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.InvocationExpression];

    public IReadOnlyList<string> Triggers { get; } = [.. AssertTypes, .. FluentNames];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        var invocation = (InvocationExpressionSyntax)node;
        var (name, receiver) = SyntaxHelpers.Invoked(invocation);
        if (name is null)
        {
            return;
        }

        if (receiver is not null && AssertTypes.Contains(receiver))
        {
            context.Report(this, invocation, $"{receiver}.{name} removed: the test checks less", FactPolarity.Removed, key: receiver + "." + name);
        }
        else if (FluentNames.Contains(name) && invocation.Expression is MemberAccessExpressionSyntax)
        {
            context.Report(this, invocation, $".{name}() assertion removed: the test checks less", FactPolarity.Removed, key: "." + name);
        }
    }
}
