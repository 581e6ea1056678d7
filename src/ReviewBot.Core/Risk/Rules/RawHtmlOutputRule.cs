using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB3013: HTML written without encoding (XSS).</summary>
public sealed class RawHtmlOutputRule : ISyntaxRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB3013", RiskCategories.Injection, Severity.High, "Unencoded HTML output",
        "Html.Raw(x), new HtmlString(x) and (MarkupString)x write x into the page without encoding: if x holds user data, scripts run in other users' browsers (XSS).");

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.InvocationExpression, SyntaxKind.ObjectCreationExpression, SyntaxKind.CastExpression];

    public IReadOnlyList<string> Triggers { get; } = ["Raw", "HtmlString", "MarkupString"];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        var (value, what) = node switch
        {
            InvocationExpressionSyntax i when SyntaxHelpers.Invoked(i) is ("Raw", "Html") => (SyntaxHelpers.Arg(i.ArgumentList, 0), "Html.Raw"),
            ObjectCreationExpressionSyntax o when SyntaxHelpers.CreatedType(o) is "HtmlString" or "MarkupString"
                => (SyntaxHelpers.Arg(o.ArgumentList, 0), "new " + SyntaxHelpers.CreatedType(o)),
            CastExpressionSyntax c when SyntaxHelpers.SimpleName(c.Type) == "MarkupString" => (c.Expression, "(MarkupString)"),
            _ => ((ExpressionSyntax?)null, ""),
        };
        if (value is not null && !SyntaxHelpers.IsConstantText(value))
        {
            context.Report(this, node, $"{what} of non-constant text added: written into the page unencoded");
        }
    }
}
