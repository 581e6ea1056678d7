using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB1001: [Authorize] removed or narrowed, RequireAuthorization()/UseAuthorization()/UseAuthentication()/FallbackPolicy removed.</summary>
public sealed class AuthorizationRemovedRule : ISyntaxRule, IRemovalRule
{
    private static readonly HashSet<string> Calls = ["RequireAuthorization", "UseAuthorization", "UseAuthentication", "AddAuthorization"];

    public RuleDescriptor Descriptor { get; } = new(
        "RB1001", RiskCategories.Authorization, Severity.High, "Authorization removed",
        "An [Authorize] attribute, a RequireAuthorization() call, the authorization/authentication middleware or a fallback policy that the base had is gone from the same member: endpoints may now be reachable without the checks they had.")
    {
        Cwes = [862, 285],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.Attribute, SyntaxKind.InvocationExpression, SyntaxKind.SimpleAssignmentExpression];

    public IReadOnlyList<string> Triggers { get; } = ["Authorize", .. Calls, "FallbackPolicy"];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        switch (node)
        {
            case AttributeSyntax a when SyntaxHelpers.AttributeName(a) == "Authorize":
                context.Report(this, a, $"[{a}] removed (or changed): the authorization it required is gone", FactPolarity.Removed);
                break;
            case InvocationExpressionSyntax i when SyntaxHelpers.SimpleName(i.Expression) is { } name && Calls.Contains(name):
                context.Report(this, i, $"{name}() removed: requests are no longer authorized by it", FactPolarity.Removed, key: name);
                break;
            case AssignmentExpressionSyntax s when SyntaxHelpers.AssignedName(s) == "FallbackPolicy":
                context.Report(this, s, "FallbackPolicy removed: endpoints without attributes are no longer protected by default", FactPolarity.Removed, key: "FallbackPolicy");
                break;
        }
    }
}
