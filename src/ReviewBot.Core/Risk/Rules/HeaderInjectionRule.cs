using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ReviewBot.Core.Risk.Flow;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB3016: response headers and cookies set from data that is not constant (HTTP response splitting).</summary>
public sealed class HeaderInjectionRule : ISyntaxRule
{
    private static readonly HashSet<string> HeaderCalls = ["AddHeader", "AppendHeader", "AppendCookie", "SetCookie"];

    private static readonly HashSet<string> CollectionCalls = ["Add", "Append", "Set", "TryAdd"];

    public RuleDescriptor Descriptor { get; } = new(
        "RB3016", RiskCategories.Injection, Severity.High, "Response header built from non-constant text",
        "A response header or cookie (Response.AddHeader/AppendHeader, Response.Headers.Add/Append or [name] = value, Response.Cookies.Add/Append, AppendCookie) whose value comes from request data, the console, files, sockets or databases can carry CR/LF: the client sees headers, cookies or a second response the attacker wrote (HTTP response splitting), and unencoded values break the header. URL-encode the value (or reject CR/LF). Constant or encoded values are no finding; values of unknown origin are medium. In a file that uses ASP.NET Core (a using of Microsoft.AspNetCore, none of System.Web), Response.Headers and Response.Cookies are no finding: its servers (Kestrel, HTTP.sys, IIS) refuse control characters in header values and its cookie collection escapes values; AddHeader/AppendHeader/AppendCookie (System.Web) stay.")
    {
        Cwes = [113, 644],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.InvocationExpression, SyntaxKind.SimpleAssignmentExpression];

    public IReadOnlyList<string> Triggers { get; } = [.. HeaderCalls, "Headers", "Cookies"];

    public bool JudgesSinksByFlow => true;

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        switch (node)
        {
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } call when SyntaxHelpers.SimpleName(access) is { } name:
                var onResponse = HeaderCalls.Contains(name) && FlowSink.IsResponse(access.Expression)
                    || CollectionCalls.Contains(name) && access.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Headers" or "Cookies" } collection
                        && FlowSink.IsResponse(collection.Expression) && !ServedByAspNetCore(node);
                if (onResponse)
                {
                    var args = call.ArgumentList.Arguments;
                    FlowSink.Report(this, context, node, SyntaxHelpers.Normalize(access), "CR/LF in it splits the response: URL-encode it",
                        [.. args.Skip(args.Count > 1 ? 1 : 0).Select(a => a.Expression)]);
                }

                break;
            case AssignmentExpressionSyntax { Left: ElementAccessExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Headers" } headers } } assignment
                when FlowSink.IsResponse(headers.Expression) && !ServedByAspNetCore(node):
                FlowSink.Report(this, context, node, SyntaxHelpers.Normalize(assignment.Left), "CR/LF in it splits the response: URL-encode it", assignment.Right);
                break;
        }
    }

    /// <summary>
    /// The file uses ASP.NET Core and not System.Web: its response header collection refuses CR/LF (every ASP.NET Core
    /// server validates header values) and its cookie collection URL-escapes values, so neither can split a response.
    /// </summary>
    private static bool ServedByAspNetCore(SyntaxNode node)
    {
        var usings = node.SyntaxTree.GetRoot().DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax)
            .OfType<UsingDirectiveSyntax>()
            .Select(u => u.Name?.ToString() ?? "")
            .ToList();
        return usings.Any(u => u.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal))
            && !usings.Any(u => u == "System.Web" || u.StartsWith("System.Web.", StringComparison.Ordinal));
    }
}
