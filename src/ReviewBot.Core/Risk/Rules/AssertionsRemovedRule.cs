using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB6004: assertions removed from a test that still exists.</summary>
public sealed class AssertionsRemovedRule : ISyntaxRule, IRemovalRule
{
    private static readonly HashSet<string> AssertTypes = ["Assert", "CollectionAssert", "StringAssert", "ClassicAssert", "FileAssert", "DirectoryAssert"];

    private static readonly HashSet<string> FluentNames = ["Should", "ShouldBe", "ShouldEqual", "ShouldNotBeNull", "Verify", "VerifyAll", "Received", "Expect"];

    /// <summary>
    /// Every assertion shares one key: only fewer assertions count as removed, so a rewritten assertion
    /// (Assert.IsTrue → Assert.True, Assert.False(x.Contains(y)) → Assert.DoesNotContain(y, x)) is not.
    /// </summary>
    private const string AssertionKey = "assertion";

    public RuleDescriptor Descriptor { get; } = new(
        "RB6004", RiskCategories.Tests, Severity.Medium, "Assertions removed",
        "A test method kept its name but lost assertions (Assert.*, .Should(), Verify/Received): it still passes, and now checks less. Assertions are counted, not matched by name: a rewritten assertion (Assert.IsTrue → Assert.True) is not a removal, only a test with fewer assertions is.");

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
            context.Report(this, invocation, $"{receiver}.{name} removed: the test checks less", FactPolarity.Removed, key: AssertionKey);
        }
        else if (FluentNames.Contains(name) && invocation.Expression is MemberAccessExpressionSyntax)
        {
            context.Report(this, invocation, $".{name}() assertion removed: the test checks less", FactPolarity.Removed, key: AssertionKey);
        }
    }
}
