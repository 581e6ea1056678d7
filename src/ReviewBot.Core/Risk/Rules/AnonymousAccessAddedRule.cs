using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB1002: [AllowAnonymous] or .AllowAnonymous() added.</summary>
public sealed class AnonymousAccessAddedRule : ISyntaxRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB1002", RiskCategories.Authorization, Severity.High, "Anonymous access added",
        "[AllowAnonymous] or .AllowAnonymous() overrides every authorization requirement of the controller, endpoint group and fallback policy: the endpoint becomes public.")
    {
        Cwes = [306],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.Attribute, SyntaxKind.InvocationExpression];

    public IReadOnlyList<string> Triggers { get; } = ["AllowAnonymous"];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        switch (node)
        {
            case AttributeSyntax a when SyntaxHelpers.AttributeName(a) == "AllowAnonymous":
                context.Report(this, a, "[AllowAnonymous] added: the endpoint is reachable without authentication");
                break;
            case InvocationExpressionSyntax i when SyntaxHelpers.SimpleName(i.Expression) == "AllowAnonymous":
                context.Report(this, i, ".AllowAnonymous() added: the endpoint is reachable without authentication", key: "AllowAnonymous");
                break;
        }
    }
}
