using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB3013: HTML written without encoding (XSS).</summary>
public sealed class RawHtmlOutputRule : ISyntaxRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB3013", RiskCategories.Injection, Severity.High, "Unencoded HTML output",
        "Html.Raw(x), new HtmlString(x), (MarkupString)x and Response.Write(x) write x into the page without encoding: if x holds user data, scripts run in other users' browsers (XSS). The flow pass follows x: constant or encoded (HtmlEncode, HtmlEncoder) text is no finding, text from request data, the console, the environment, files, sockets or databases is high, text of unknown origin is medium and says so.")
    {
        Cwes = [79, 80],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.InvocationExpression, SyntaxKind.ObjectCreationExpression, SyntaxKind.CastExpression];

    public IReadOnlyList<string> Triggers { get; } = ["Raw", "HtmlString", "MarkupString", "Write"];

    public bool JudgesSinksByFlow => true;

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        var (value, what) = node switch
        {
            InvocationExpressionSyntax i when SyntaxHelpers.Invoked(i) is ("Raw", "Html") => (SyntaxHelpers.Arg(i.ArgumentList, 0), "Html.Raw"),
            ObjectCreationExpressionSyntax o when SyntaxHelpers.CreatedType(o) is "HtmlString" or "MarkupString"
                => (SyntaxHelpers.Arg(o.ArgumentList, 0), "new " + SyntaxHelpers.CreatedType(o)),
            CastExpressionSyntax c when SyntaxHelpers.SimpleName(c.Type) == "MarkupString" => (c.Expression, "(MarkupString)"),
            InvocationExpressionSyntax i when SyntaxHelpers.SimpleName(i.Expression) is "Write" or "WriteAsync"
                && i.Expression is MemberAccessExpressionSyntax m && Flow.FlowSink.IsResponse(m.Expression)
                => (SyntaxHelpers.Arg(i.ArgumentList, 0), SyntaxHelpers.Normalize(m)),
            _ => ((ExpressionSyntax?)null, ""),
        };
        if (value is not null)
        {
            Flow.FlowSink.Report(this, context, node, what, "written into the page unencoded (XSS)", value);
        }
    }
}
