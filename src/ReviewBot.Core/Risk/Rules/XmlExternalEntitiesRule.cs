using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB3010: XML readers that process DTDs or resolve external entities.</summary>
public sealed class XmlExternalEntitiesRule : ISyntaxRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB3010", RiskCategories.Xml, Severity.High, "XML external entities enabled",
        "DtdProcessing.Parse, ProhibitDtd = false, an XmlUrlResolver as XmlResolver, or the legacy XmlTextReader let a document read local files, call internal URLs (XXE/SSRF) or expand entities until memory runs out.")
    {
        Cwes = [611],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } =
        [SyntaxKind.SimpleMemberAccessExpression, SyntaxKind.SimpleAssignmentExpression, SyntaxKind.ObjectCreationExpression];

    public IReadOnlyList<string> Triggers { get; } = ["DtdProcessing", "ProhibitDtd", "XmlResolver", "XmlTextReader"];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        var message = node switch
        {
            MemberAccessExpressionSyntax m when SyntaxHelpers.SimpleName(m.Expression) == "DtdProcessing" && m.Name.Identifier.ValueText == "Parse"
                => "DtdProcessing.Parse added: DTDs and entities are processed",
            AssignmentExpressionSyntax a when SyntaxHelpers.AssignedName(a) == "ProhibitDtd" && SyntaxHelpers.IsFalse(a.Right)
                => "ProhibitDtd = false added",
            AssignmentExpressionSyntax a when SyntaxHelpers.AssignedName(a) == "XmlResolver"
                && a.Right is ObjectCreationExpressionSyntax o && SyntaxHelpers.CreatedType(o) == "XmlUrlResolver"
                => "XmlResolver = new XmlUrlResolver() added: external entities are fetched",
            ObjectCreationExpressionSyntax o when SyntaxHelpers.CreatedType(o) == "XmlTextReader"
                => "new XmlTextReader added: legacy reader, DTD processing on by default on .NET Framework",
            _ => null,
        };
        if (message is not null)
        {
            context.Report(this, node, message);
        }
    }
}
