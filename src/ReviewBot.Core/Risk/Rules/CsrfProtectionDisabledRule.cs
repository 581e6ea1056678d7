using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB1003: anti-forgery validation switched off or removed.</summary>
public sealed class CsrfProtectionDisabledRule : ISyntaxRule, IRemovalRule
{
    /// <summary>Also reports introductions (see <see cref="IRemovalRule"/>).</summary>
    bool IRemovalRule.ReportsOnlyRemovals => false;

    public RuleDescriptor Descriptor { get; } = new(
        "RB1003", RiskCategories.Web, Severity.High, "CSRF protection disabled",
        "[IgnoreAntiforgeryToken] or .DisableAntiforgery() added, or [ValidateAntiForgeryToken]/[AutoValidateAntiforgeryToken] removed: state-changing requests can be forged from another site using the victim's cookies.")
    {
        Cwes = [352],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.Attribute, SyntaxKind.InvocationExpression, SyntaxKind.ObjectCreationExpression];

    public IReadOnlyList<string> Triggers { get; } = ["IgnoreAntiforgeryToken", "ValidateAntiForgeryToken", "AutoValidateAntiforgeryToken", "DisableAntiforgery"];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        switch (node)
        {
            case AttributeSyntax a:
                var name = SyntaxHelpers.AttributeName(a);
                if (name == "IgnoreAntiforgeryToken")
                {
                    context.Report(this, a, "[IgnoreAntiforgeryToken] added: anti-forgery validation is skipped");
                }
                else if (name is "ValidateAntiForgeryToken" or "AutoValidateAntiforgeryToken")
                {
                    context.Report(this, a, $"[{name}] removed: anti-forgery validation no longer applies", FactPolarity.Removed);
                }

                break;
            case InvocationExpressionSyntax i when SyntaxHelpers.SimpleName(i.Expression) == "DisableAntiforgery":
                context.Report(this, i, ".DisableAntiforgery() added: form posts to this endpoint are not validated", key: "DisableAntiforgery");
                break;
            case ObjectCreationExpressionSyntax o when SyntaxHelpers.CreatedType(o) == "IgnoreAntiforgeryTokenAttribute":
                context.Report(this, o, "global IgnoreAntiforgeryTokenAttribute filter added: anti-forgery validation is skipped everywhere");
                break;
        }
    }
}
