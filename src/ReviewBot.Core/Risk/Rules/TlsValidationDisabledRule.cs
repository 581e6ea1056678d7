using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB2001: server certificate validation callbacks that accept every certificate.</summary>
public sealed class TlsValidationDisabledRule : ISyntaxRule
{
    private static readonly HashSet<string> Callbacks =
    [
        "ServerCertificateCustomValidationCallback", "ServerCertificateValidationCallback", "RemoteCertificateValidationCallback",
        "CertificateValidationCallback",
    ];

    public RuleDescriptor Descriptor { get; } = new(
        "RB2001", RiskCategories.Crypto, Severity.Critical, "TLS certificate validation disabled",
        "A certificate validation callback that always returns true, or DangerousAcceptAnyServerCertificateValidator, accepts any certificate: anyone on the network path can read and alter the traffic.")
    {
        Cwes = [295],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } =
        [SyntaxKind.SimpleAssignmentExpression, SyntaxKind.AddAssignmentExpression, SyntaxKind.IdentifierName];

    public IReadOnlyList<string> Triggers { get; } = ["DangerousAcceptAnyServerCertificateValidator", .. Callbacks];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        if (node is IdentifierNameSyntax id)
        {
            if (id.Identifier.ValueText == "DangerousAcceptAnyServerCertificateValidator")
            {
                context.Report(this, id.Parent is MemberAccessExpressionSyntax m ? m : id, "DangerousAcceptAnyServerCertificateValidator added: any server certificate is accepted");
            }

            return;
        }

        var assignment = (AssignmentExpressionSyntax)node;
        if (SyntaxHelpers.AssignedName(assignment) is not { } name || !Callbacks.Contains(name))
        {
            return;
        }

        var value = assignment.Right is ObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 1 } wrap
            ? wrap.ArgumentList.Arguments[0].Expression
            : assignment.Right;
        if (SyntaxHelpers.AlwaysReturnsTrue(value))
        {
            context.Report(this, assignment, $"{name} set to a callback that always returns true: certificate validation is disabled");
        }
    }
}
