using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ReviewBot.Core.Risk.Flow;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB2009: an encryptor, a CryptoStream or a writer over one made and never used in the member.</summary>
public sealed class MissingEncryptionStepRule : ISyntaxRule
{
    private static readonly HashSet<string> TransformFactories = ["CreateEncryptor", "CreateDecryptor"];

    public RuleDescriptor Descriptor { get; } = new(
        "RB2009", RiskCategories.Crypto, Severity.Medium, "Encryption step missing",
        "A local given an encryptor or decryptor (CreateEncryptor/CreateDecryptor), a CryptoStream, or a writer over a CryptoStream, and never used again in the member: the transform is set up and skipped, so the data it was meant for stays in plaintext (or nothing is encrypted at all). Pass the transform to the CryptoStream and write the data through it.")
    {
        Cwes = [325],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.VariableDeclarator];

    public IReadOnlyList<string> Triggers { get; } = ["CreateEncryptor", "CreateDecryptor", "CryptoStream", "StreamWriter", "BinaryWriter"];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        var declarator = (VariableDeclaratorSyntax)node;
        if (declarator.Initializer?.Value is not { } value || declarator.Identifier.ValueText is "_" or ""
            || declarator.Parent?.Parent is not (LocalDeclarationStatementSyntax or UsingStatementSyntax))
        {
            // Only a local is used within its own member; a field is used across the type.
            return;
        }

        var flow = context.FlowAt(node);
        var what = CryptoStep(value, flow);
        if (what is null || !flow.IsReachable(node))
        {
            return;
        }

        var name = declarator.Identifier.ValueText;
        var owner = MemberFlow.OwnerOf(node);
        foreach (var id in owner.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (id.Identifier.ValueText == name)
            {
                return;
            }
        }

        context.Report(this, declarator, $"{what} '{name}' is made and never used: the encryption step is skipped and the data stays in plaintext");
    }

    /// <summary>"encryptor", "CryptoStream" or "writer over a CryptoStream" when the value makes one; null otherwise.</summary>
    private static string? CryptoStep(ExpressionSyntax value, MemberFlow flow)
    {
        switch (value)
        {
            case InvocationExpressionSyntax call when SyntaxHelpers.SimpleName(call.Expression) is { } called && TransformFactories.Contains(called):
                return called == "CreateEncryptor" ? "encryptor" : "decryptor";
            case ObjectCreationExpressionSyntax creation:
                var type = SyntaxHelpers.CreatedType(creation);
                if (type == "CryptoStream")
                {
                    return "CryptoStream";
                }

                var inner = SyntaxHelpers.Arg(creation.ArgumentList, 0);
                var over = inner is IdentifierNameSyntax local ? flow.SingleDefinition(local) : inner;
                return type is "StreamWriter" or "BinaryWriter" && over is ObjectCreationExpressionSyntax o && SyntaxHelpers.CreatedType(o) == "CryptoStream"
                    ? "writer over a CryptoStream"
                    : null;
            default:
                return null;
        }
    }
}
