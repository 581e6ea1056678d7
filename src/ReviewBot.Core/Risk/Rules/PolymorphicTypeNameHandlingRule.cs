using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB3009: serializers told to honour type names from the payload.</summary>
public sealed class PolymorphicTypeNameHandlingRule : ISyntaxRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB3009", RiskCategories.Deserialization, Severity.Critical, "Type names from payload honoured",
        "TypeNameHandling.All/Auto/Objects/Arrays (Newtonsoft.Json), JavaScriptSerializer with SimpleTypeResolver and TypeFilterLevel.Full let the payload choose which .NET type is created: a known route to remote code execution through gadget types.")
    {
        Cwes = [502],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.SimpleMemberAccessExpression, SyntaxKind.ObjectCreationExpression];

    public IReadOnlyList<string> Triggers { get; } = ["TypeNameHandling", "TypeFilterLevel", "SimpleTypeResolver"];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        var message = node switch
        {
            MemberAccessExpressionSyntax m when SyntaxHelpers.SimpleName(m.Expression) == "TypeNameHandling"
                && m.Name.Identifier.ValueText is "All" or "Auto" or "Objects" or "Arrays" => $"TypeNameHandling.{m.Name.Identifier.ValueText} added",
            MemberAccessExpressionSyntax m when SyntaxHelpers.SimpleName(m.Expression) == "TypeFilterLevel"
                && m.Name.Identifier.ValueText == "Full" => "TypeFilterLevel.Full added",
            ObjectCreationExpressionSyntax o when SyntaxHelpers.CreatedType(o) == "SimpleTypeResolver" => "SimpleTypeResolver added",
            _ => null,
        };
        if (message is not null)
        {
            context.Report(this, node, message + ": the payload chooses which types are instantiated");
        }
    }
}
