using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB3008: formatter-based deserializers that instantiate arbitrary types.</summary>
public sealed class InsecureDeserializerRule : ISyntaxRule
{
    private static readonly HashSet<string> Types =
        ["BinaryFormatter", "SoapFormatter", "NetDataContractSerializer", "LosFormatter", "ObjectStateFormatter", "BinaryMessageFormatter"];

    public RuleDescriptor Descriptor { get; } = new(
        "RB3008", RiskCategories.Deserialization, Severity.Critical, "Insecure deserializer",
        "BinaryFormatter, SoapFormatter, NetDataContractSerializer, LosFormatter, ObjectStateFormatter and BinaryMessageFormatter instantiate whatever types the payload names: deserializing untrusted data with them is remote code execution. Use System.Text.Json with known types.")
    {
        Cwes = [502],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.ObjectCreationExpression];

    public IReadOnlyList<string> Triggers { get; } = [.. Types];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        if (SyntaxHelpers.CreatedType((ObjectCreationExpressionSyntax)node) is { } type && Types.Contains(type))
        {
            context.Report(this, node, $"{type} added: deserializing untrusted data with it runs attacker-chosen code");
        }
    }
}
