using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB3006: file-system paths built from request data without a containment check.</summary>
public sealed class PathTraversalRule : ISyntaxRule
{
    private static readonly HashSet<string> FileApis =
    [
        "ReadAllText", "ReadAllTextAsync", "ReadAllBytes", "ReadAllBytesAsync", "ReadAllLines", "ReadAllLinesAsync", "ReadLines", "WriteAllText",
        "WriteAllTextAsync", "WriteAllBytes", "WriteAllBytesAsync", "AppendAllText", "Open", "OpenRead", "OpenWrite", "OpenText", "Create",
        "Delete", "Copy", "Move", "CreateDirectory", "EnumerateFiles", "GetFiles", "Combine", "Join",
    ];

    private static readonly HashSet<string> FileTypes = ["File", "Directory", "Path"];
    private static readonly HashSet<string> StreamTypes = ["FileStream", "StreamReader", "StreamWriter", "FileInfo", "DirectoryInfo"];
    private static readonly HashSet<string> ResultMethods = ["PhysicalFile", "PhysicalFileResult"];

    public RuleDescriptor Descriptor { get; } = new(
        "RB3006", RiskCategories.Injection, Severity.High, "Path built from request data",
        "A file-system path built from request data (an uploaded file's FileName, Request.Query/Form, or a parameter of a controller action or minimal-API handler) without a Path.GetFullPath(...).StartsWith(root) check lets '../' reach files outside the intended folder.");

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.InvocationExpression, SyntaxKind.ObjectCreationExpression];

    public IReadOnlyList<string> Triggers { get; } = [.. FileApis, .. ResultMethods, .. StreamTypes];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        BaseArgumentListSyntax? args;
        string what;
        switch (node)
        {
            case InvocationExpressionSyntax i when SyntaxHelpers.Invoked(i) is ({ } n, { } r) && FileTypes.Contains(r) && FileApis.Contains(n):
                args = i.ArgumentList;
                what = r + "." + n;
                break;
            case InvocationExpressionSyntax i when SyntaxHelpers.SimpleName(i.Expression) is { } n && ResultMethods.Contains(n):
                args = i.ArgumentList;
                what = n;
                break;
            case ObjectCreationExpressionSyntax o when SyntaxHelpers.CreatedType(o) is { } t && StreamTypes.Contains(t):
                args = o.ArgumentList;
                what = "new " + t;
                break;
            default:
                return;
        }

        if (args is null || args.Arguments.Count == 0 || (context.MemberContains("GetFullPath") && context.MemberContains("StartsWith")))
        {
            return;
        }

        var userInput = UserControlledNames(node);
        var path = what is "Path.Combine" or "Path.Join" ? args.Arguments.Skip(1).ToList() : args.Arguments.Take(1).ToList();
        if (path.Any(a => MentionsRequestData(a.Expression, userInput)))
        {
            context.Report(this, node, $"{what} with a path from request data and no containment check");
        }
    }

    private static bool MentionsRequestData(ExpressionSyntax expression, HashSet<string> userInput)
    {
        if (SyntaxHelpers.Mentions(expression, userInput))
        {
            return true;
        }

        foreach (var token in expression.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText is "FileName" or "Query" or "Form" or "RouteValues" && expression.ToString().Contains('.'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Parameters that carry request data: of controller actions, [From*] parameters, minimal-API handler lambdas.</summary>
    private static HashSet<string> UserControlledNames(SyntaxNode node)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case LambdaExpressionSyntax lambda when lambda.Parent?.Parent?.Parent is InvocationExpressionSyntax map
                    && SyntaxHelpers.SimpleName(map.Expression) is { } mapName && mapName.StartsWith("Map", StringComparison.Ordinal):
                    foreach (var p in lambda is ParenthesizedLambdaExpressionSyntax pl ? pl.ParameterList.Parameters : [((SimpleLambdaExpressionSyntax)lambda).Parameter])
                    {
                        names.Add(p.Identifier.ValueText);
                    }

                    break;
                case MethodDeclarationSyntax method:
                    var inController = method.Parent is ClassDeclarationSyntax c
                        && (c.Identifier.ValueText.EndsWith("Controller", StringComparison.Ordinal) || c.Identifier.ValueText.EndsWith("Model", StringComparison.Ordinal));
                    foreach (var p in method.ParameterList.Parameters)
                    {
                        var fromRequest = p.AttributeLists.SelectMany(l => l.Attributes).Any(a => SyntaxHelpers.AttributeName(a).StartsWith("From", StringComparison.Ordinal));
                        if (inController || fromRequest || p.Type?.ToString() is "IFormFile")
                        {
                            names.Add(p.Identifier.ValueText);
                        }
                    }

                    return names;
            }
        }

        return names;
    }
}
