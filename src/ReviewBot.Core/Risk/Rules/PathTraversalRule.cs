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
        "Delete", "Copy", "Move", "CreateDirectory", "EnumerateFiles", "GetFiles", "Exists",
    ];

    private static readonly HashSet<string> FileTypes = ["File", "Directory"];
    private static readonly HashSet<string> StreamTypes = ["FileStream", "StreamReader", "StreamWriter", "FileInfo", "DirectoryInfo"];
    private static readonly HashSet<string> ResultMethods = ["PhysicalFile", "PhysicalFileResult"];

    public RuleDescriptor Descriptor { get; } = new(
        "RB3006", RiskCategories.Injection, Severity.High, "Path built from request data",
        "A file-system path from data an attacker writes (an uploaded file's FileName, Request.Query/Form/Cookies, a parameter of a controller action or minimal-API handler, the console, the environment, command-line arguments, files, sockets or databases) without a Path.GetFullPath(...).StartsWith(root) check or Path.GetFileName lets '../' or an absolute path reach files outside the intended folder. The flow pass follows the path through locals and string building; paths of unknown origin (an ordinary method's parameter) are not reported, since library code takes paths from its callers.")
    {
        Cwes = [22, 23, 36],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.InvocationExpression, SyntaxKind.ObjectCreationExpression];

    public IReadOnlyList<string> Triggers { get; } = [.. FileApis, .. ResultMethods, .. StreamTypes];

    public bool JudgesSinksByFlow => true;

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

        if (args is null || args.Arguments.Count == 0 || (node is ObjectCreationExpressionSyntax && IsStream(args.Arguments[0].Expression, context.FlowAt(node))))
        {
            return;
        }

        Flow.FlowSink.Report(this, context, node, what, "a '../' or absolute path reaches files outside the intended folder", reportUnknown: false,
            args.Arguments[0].Expression);
    }

    /// <summary>
    /// A reader or writer over a stream, not a path: the argument is a stream made here (<c>new CryptoStream(...)</c>,
    /// <c>client.GetStream()</c>, <c>File.OpenRead(...)</c>), or a local declared as a stream or given one.
    /// </summary>
    private static bool IsStream(ExpressionSyntax argument, Flow.MemberFlow flow)
    {
        if (MakesStream(argument))
        {
            return true;
        }

        return argument is IdentifierNameSyntax local
            && ((SyntaxHelpers.SimpleName(flow.DeclaredType(local)) ?? "").EndsWith("Stream", StringComparison.Ordinal)
                || flow.Definitions(local).Any(MakesStream));
    }

    private static bool MakesStream(ExpressionSyntax expression) => expression switch
    {
        ObjectCreationExpressionSyntax creation => SyntaxHelpers.CreatedType(creation)?.EndsWith("Stream", StringComparison.Ordinal) == true,
        InvocationExpressionSyntax call => SyntaxHelpers.SimpleName(call.Expression) is "GetStream" or "OpenRead" or "OpenWrite" or "Open" or "Create"
            or "OpenReadStream" or "GetResponseStream" or "GetRequestStream" or "OpenStandardInput" or "OpenStandardOutput",
        _ => false,
    };
}
