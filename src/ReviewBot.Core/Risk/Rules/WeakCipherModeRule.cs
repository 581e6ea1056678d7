using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB2004: ECB mode, no/zero padding, PKCS#1 v1.5 RSA encryption padding.</summary>
public sealed class WeakCipherModeRule : ISyntaxRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB2004", RiskCategories.Crypto, Severity.Medium, "Weak cipher mode or padding",
        "CipherMode.ECB leaks patterns of the plaintext, PaddingMode.None/Zeros loses data or enables oracles, RSAEncryptionPadding.Pkcs1 is open to padding-oracle attacks: use AES-GCM and OAEP.")
    {
        Cwes = [327],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.SimpleMemberAccessExpression];

    public IReadOnlyList<string> Triggers { get; } = ["CipherMode", "PaddingMode", "RSAEncryptionPadding"];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        var access = (MemberAccessExpressionSyntax)node;
        var message = (SyntaxHelpers.SimpleName(access.Expression), access.Name.Identifier.ValueText) switch
        {
            ("CipherMode", "ECB") => "CipherMode.ECB used: identical blocks encrypt identically",
            ("PaddingMode", "None" or "Zeros") => $"PaddingMode.{access.Name.Identifier.ValueText} used",
            ("RSAEncryptionPadding", "Pkcs1") => "RSAEncryptionPadding.Pkcs1 used: prefer OaepSHA256",
            _ => null,
        };
        if (message is not null)
        {
            context.Report(this, access, message);
        }
    }
}
