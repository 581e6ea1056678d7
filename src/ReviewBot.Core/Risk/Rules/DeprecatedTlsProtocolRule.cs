using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB2007: SSL 2/3, TLS 1.0/1.1 selected explicitly.</summary>
public sealed class DeprecatedTlsProtocolRule : ISyntaxRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB2007", RiskCategories.Crypto, Severity.Medium, "Deprecated TLS protocol",
        "SecurityProtocolType.Ssl3/Tls/Tls11 and SslProtocols.Ssl2/Ssl3/Tls/Tls11 enable protocol versions with known attacks. Leave the choice to the operating system (SslProtocols.None / SystemDefault).")
    {
        Cwes = [326, 327],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.SimpleMemberAccessExpression];

    public IReadOnlyList<string> Triggers { get; } = ["SecurityProtocolType", "SslProtocols"];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        var access = (MemberAccessExpressionSyntax)node;
        var type = SyntaxHelpers.SimpleName(access.Expression);
        var value = access.Name.Identifier.ValueText;
        if (type is "SecurityProtocolType" or "SslProtocols" && value is "Ssl2" or "Ssl3" or "Tls" or "Tls11")
        {
            context.Report(this, access, $"{type}.{value} enabled: a deprecated protocol version");
        }
    }
}
