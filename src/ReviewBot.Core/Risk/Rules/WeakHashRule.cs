using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB2002: MD5 / SHA-1 / RIPEMD-160.</summary>
public sealed class WeakHashRule : ISyntaxRule
{
    private static readonly HashSet<string> Algorithms = new(["MD5", "SHA1", "RIPEMD160", "HMACMD5", "HMACSHA1"], StringComparer.OrdinalIgnoreCase);
    private static readonly HashSet<string> Types =
        ["MD5CryptoServiceProvider", "MD5Cng", "SHA1Managed", "SHA1CryptoServiceProvider", "SHA1Cng", "HMACMD5", "HMACSHA1", "RIPEMD160Managed"];

    private static readonly HashSet<string> Methods = ["Create", "HashData", "HashDataAsync"];
    private static readonly HashSet<string> Factories = ["HashAlgorithm", "CryptoConfig", "HMAC"];

    public RuleDescriptor Descriptor { get; } = new(
        "RB2002", RiskCategories.Crypto, Severity.Medium, "Weak hash algorithm",
        "MD5, SHA-1 and RIPEMD-160 are broken for collision resistance: never use them for signatures, integrity of untrusted data or passwords. Raised to high when the member deals with passwords, signatures or tokens.")
    {
        Cwes = [328, 327],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.InvocationExpression, SyntaxKind.ObjectCreationExpression];

    public IReadOnlyList<string> Triggers { get; } = [.. Types, .. Methods, "CreateFromName"];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        if (SyntaxHelpers.CreatedAlgorithm(node, Algorithms, Types, Methods, Factories) is not { } algorithm)
        {
            return;
        }

        var sensitive = context.MemberContains("assword") || context.MemberContains("ignature") || context.MemberContains("oken");
        context.Report(this, node, $"{algorithm} used: a broken hash" + (sensitive ? " in code handling passwords, signatures or tokens" : ""),
            severity: sensitive ? Severity.High : null);
    }
}
