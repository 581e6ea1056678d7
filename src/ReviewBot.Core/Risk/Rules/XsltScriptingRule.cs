using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB3011: XSLT with scripts or document() enabled.</summary>
public sealed class XsltScriptingRule : ISyntaxRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB3011", RiskCategories.Xml, Severity.High, "XSLT scripting enabled",
        "XsltSettings.TrustedXslt, new XsltSettings(..., true), EnableScript/EnableDocumentFunction = true or the obsolete XslTransform let a stylesheet run embedded code or read arbitrary documents.")
    {
        Cwes = [94],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } =
        [SyntaxKind.SimpleMemberAccessExpression, SyntaxKind.SimpleAssignmentExpression, SyntaxKind.ObjectCreationExpression];

    public IReadOnlyList<string> Triggers { get; } = ["XsltSettings", "EnableScript", "EnableDocumentFunction", "XslTransform"];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        var message = node switch
        {
            MemberAccessExpressionSyntax m when SyntaxHelpers.SimpleName(m.Expression) == "XsltSettings" && m.Name.Identifier.ValueText == "TrustedXslt"
                => "XsltSettings.TrustedXslt added",
            AssignmentExpressionSyntax a when SyntaxHelpers.AssignedName(a) is "EnableScript" or "EnableDocumentFunction" && SyntaxHelpers.IsTrue(a.Right)
                => $"{SyntaxHelpers.AssignedName(a)} = true added",
            ObjectCreationExpressionSyntax o when SyntaxHelpers.CreatedType(o) == "XsltSettings"
                && o.ArgumentList is { } args && args.Arguments.Any(x => SyntaxHelpers.IsTrue(x.Expression))
                => "new XsltSettings with document() or scripts enabled",
            ObjectCreationExpressionSyntax o when SyntaxHelpers.CreatedType(o) == "XslTransform" => "obsolete XslTransform added",
            _ => null,
        };
        if (message is not null)
        {
            context.Report(this, node, message + ": stylesheets can run code or read files");
        }
    }
}
