using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB1009: a caught exception's text or stack trace written to the HTTP response.</summary>
public sealed class ExceptionDetailsToClientRule : ISyntaxRule
{
    /// <summary>Controller and minimal-API results whose arguments become the response body.</summary>
    private static readonly HashSet<string> Results = ["Content", "BadRequest", "Problem", "StatusCode", "ValidationProblem", "UnprocessableEntity"];

    /// <summary>Members of an exception that carry no more than its kind or its one-line message.</summary>
    private static readonly HashSet<string> Summaries = ["Message", "GetType", "HResult", "HelpLink", "Source", "Data"];

    public RuleDescriptor Descriptor { get; } = new(
        "RB1009", RiskCategories.Web, Severity.Medium, "Exception details sent to the client",
        "A caught exception written to the HTTP response (Response.Write/WriteAsync, or a Content/BadRequest/Problem/StatusCode result) as a whole, with ToString() or with its StackTrace, directly or through a local: the client reads stack traces, file paths, SQL text and library versions that help an attack. Log the details and send a generic message (the exception's Message alone is not reported).")
    {
        Cwes = [209],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.InvocationExpression];

    public IReadOnlyList<string> Triggers { get; } = ["Write", "Content", "BadRequest", "Problem", "StatusCode", "UnprocessableEntity"];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        var call = (InvocationExpressionSyntax)node;
        var name = SyntaxHelpers.SimpleName(call.Expression);
        var sink = name switch
        {
            "Write" or "WriteAsync" when call.Expression is MemberAccessExpressionSyntax m && Flow.FlowSink.IsResponse(m.Expression) => SyntaxHelpers.Normalize(m),
            not null when Results.Contains(name) && call.Expression is IdentifierNameSyntax or MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "Results" or "TypedResults" } } => name,
            _ => null,
        };
        if (sink is null)
        {
            return;
        }

        var caught = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in call.Ancestors().OfType<CatchClauseSyntax>())
        {
            if (c.Declaration?.Identifier.ValueText is { Length: > 0 } e)
            {
                caught.Add(e);
            }
        }

        if (caught.Count == 0)
        {
            return;
        }

        var flow = context.FlowAt(node);
        foreach (var arg in call.ArgumentList.Arguments)
        {
            if (Details(arg.Expression, caught, flow, depth: 0) is { } exception && flow.IsReachable(node))
            {
                context.Report(this, node, $"{sink} sends the details of the caught exception '{exception}' to the client: its stack trace and internals are readable by the caller");
                return;
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="id"/> names a parameter of a lambda around it (inside <paramref name="within"/>), not the
    /// caught exception: <c>xs.Select(e => e.Name)</c> in <c>catch (Exception e)</c>.
    /// </summary>
    private static bool BoundByLambda(IdentifierNameSyntax id, string name, ExpressionSyntax within)
        => id.Ancestors().TakeWhile(a => a != within.Parent).Any(a => a switch
        {
            SimpleLambdaExpressionSyntax simple => simple.Parameter.Identifier.ValueText == name,
            ParenthesizedLambdaExpressionSyntax lambda => lambda.ParameterList.Parameters.Any(p => p.Identifier.ValueText == name),
            AnonymousMethodExpressionSyntax method => method.ParameterList?.Parameters.Any(p => p.Identifier.ValueText == name) == true,
            _ => false,
        });

    /// <summary>The caught exception's name when <paramref name="data"/> holds its full text (itself, ToString(), StackTrace), directly or through a local.</summary>
    private static string? Details(ExpressionSyntax data, HashSet<string> caught, Flow.MemberFlow flow, int depth)
    {
        foreach (var id in data.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Take(32))
        {
            var text = id.Identifier.ValueText;
            if (caught.Contains(text) && !BoundByLambda(id, text, data))
            {
                if (id.Parent is MemberAccessExpressionSyntax access && access.Expression == id && Summaries.Contains(access.Name.Identifier.ValueText))
                {
                    continue;
                }

                return text;
            }

            if (depth < 2 && !(id.Parent is MemberAccessExpressionSyntax member && member.Name == id))
            {
                foreach (var value in flow.Definitions(id))
                {
                    if (Details(value, caught, flow, depth + 1) is { } found)
                    {
                        return found;
                    }
                }
            }
        }

        return null;
    }
}
