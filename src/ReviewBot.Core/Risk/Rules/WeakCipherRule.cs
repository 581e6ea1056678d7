using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB2003: DES / 3DES / RC2 / RC4.</summary>
public sealed class WeakCipherRule : ISyntaxRule
{
    private static readonly HashSet<string> Algorithms = new(["DES", "TripleDES", "RC2", "RC4", "3DES"], StringComparer.OrdinalIgnoreCase);
    private static readonly HashSet<string> Types =
        ["DESCryptoServiceProvider", "TripleDESCryptoServiceProvider", "TripleDESCng", "RC2CryptoServiceProvider", "RC4"];

    private static readonly HashSet<string> Methods = ["Create"];
    private static readonly HashSet<string> Factories = ["SymmetricAlgorithm", "CryptoConfig"];

    public RuleDescriptor Descriptor { get; } = new(
        "RB2003", RiskCategories.Crypto, Severity.High, "Weak symmetric cipher",
        "DES, Triple-DES, RC2 and RC4 have short keys or small blocks and practical attacks: use AES-GCM (or ChaCha20-Poly1305).")
    {
        Cwes = [327],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.InvocationExpression, SyntaxKind.ObjectCreationExpression];

    public IReadOnlyList<string> Triggers { get; } = [.. Types, .. Methods, "CreateFromName"];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        if (SyntaxHelpers.CreatedAlgorithm(node, Algorithms, Types, Methods, Factories) is { } algorithm)
        {
            context.Report(this, node, $"{algorithm} used: a weak cipher");
        }
    }
}
