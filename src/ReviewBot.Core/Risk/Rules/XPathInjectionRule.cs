using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ReviewBot.Core.Risk.Flow;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB3015: XPath queries built from data that is not constant.</summary>
public sealed class XPathInjectionRule : ISyntaxRule
{
    /// <summary>Calls taking an XPath expression as their first argument, on any receiver.</summary>
    private static readonly HashSet<string> XPathCalls = ["SelectNodes", "SelectSingleNode", "Compile"];

    /// <summary>Calls named too generally to be XPath on any receiver: only on a navigator, document or node.</summary>
    private static readonly HashSet<string> NavigatorCalls = ["Evaluate", "Select", "Matches", "XPathSelectElement", "XPathSelectElements", "XPathEvaluate"];

    public RuleDescriptor Descriptor { get; } = new(
        "RB3015", RiskCategories.Injection, Severity.High, "XPath query built from non-constant text",
        "An XPath expression given to SelectNodes, SelectSingleNode, XPathNavigator.Evaluate/Select, XPathExpression.Compile or the XElement XPath extensions, built from text that is not constant, lets input rewrite the query (e.g. \"' or '1'='1\") and read any node. Escape the values, or use a compiled expression with variables. Constant or escaped text is no finding; text from request data, the console, the environment, files, sockets or databases is high; text of unknown origin is medium.")
    {
        Cwes = [643],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.InvocationExpression];

    public IReadOnlyList<string> Triggers { get; } = [.. XPathCalls, .. NavigatorCalls];

    public bool JudgesSinksByFlow => true;

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        var invocation = (InvocationExpressionSyntax)node;
        if (invocation.Expression is not MemberAccessExpressionSyntax access || SyntaxHelpers.SimpleName(access) is not { } name)
        {
            return;
        }

        var receiver = SyntaxHelpers.SimpleName(access.Expression) ?? "";
        var isXPath = name switch
        {
            "Compile" => receiver == "XPathExpression",
            _ when XPathCalls.Contains(name) => true,
            _ when NavigatorCalls.Contains(name) => name.StartsWith("XPath", StringComparison.Ordinal)
                || receiver.Contains("xpath", StringComparison.OrdinalIgnoreCase) || receiver.Contains("nav", StringComparison.OrdinalIgnoreCase)
                || receiver.Contains("xml", StringComparison.OrdinalIgnoreCase) || receiver.Contains("doc", StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
        if (isXPath && SyntaxHelpers.Arg(invocation.ArgumentList, 0) is { } query)
        {
            FlowSink.Report(this, context, node, receiver + "." + name, "XPath injection: escape the values or use XPath variables", query);
        }
    }
}
