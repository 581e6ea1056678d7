using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB3007: archive entries extracted without checking where they land (Zip Slip).</summary>
public sealed class ArchiveExtractionRule : ISyntaxRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB3007", RiskCategories.Injection, Severity.High, "Archive extraction without path check",
        "ExtractToFile/ExtractToDirectory or Path.Combine(dest, entry.FullName) without verifying that Path.GetFullPath of the target stays under the destination lets an entry named '../../x' overwrite any file (Zip Slip); without size limits a small archive can fill the disk.")
    {
        Cwes = [22],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.InvocationExpression];

    public IReadOnlyList<string> Triggers { get; } = ["ExtractToFile", "ExtractToDirectory", "Combine", "Join"];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        var invocation = (InvocationExpressionSyntax)node;
        var (name, receiver) = SyntaxHelpers.Invoked(invocation);
        var entryPath = name is "Combine" or "Join" && receiver == "Path"
            && invocation.ArgumentList.Arguments.Any(a => a.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "FullName" or "Name" } m
                && m.Expression.ToString().Contains("entry", StringComparison.OrdinalIgnoreCase));
        if (!entryPath && name is not ("ExtractToFile" or "ExtractToDirectory"))
        {
            return;
        }

        if (context.MemberContains("GetFullPath") && context.MemberContains("StartsWith"))
        {
            return;
        }

        context.Report(this, invocation, (entryPath ? "path built from an archive entry name" : name + " added")
            + " without checking the target stays inside the destination");
    }
}
