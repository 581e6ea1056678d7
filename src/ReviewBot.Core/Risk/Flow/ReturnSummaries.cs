using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Flow;

/// <summary>
/// What a call of a method of the same file gives back, from the method's own body: the flow pass of the callee, with
/// its parameters of unknown origin, merged over its <c>return</c> statements (or its expression body). A helper that
/// reads the request or the console returns tainted data, one that encodes returns sanitized data, one that returns a
/// fixed text returns a constant (a literal stays a literal: a password written in a helper is still written in source).
/// When the result depends on what the call passes in, or on anything else the pass does not know, there is no summary
/// and the call is judged as any other call. Only calls the file resolves are summarised (<see cref="SameFileCalls"/>);
/// every overload of the name counts, the worst wins. One level deep: inside a callee, calls are judged as any other
/// call, so a summary never depends on another one (no recursion, no order in which rules asked), and each method is
/// walked at most once per tree.
/// </summary>
internal static class ReturnSummaries
{
    private static readonly ConditionalWeakTable<MethodDeclarationSyntax, StrongBox<FlowValue?>> Known = new();

    [ThreadStatic]
    private static bool summarising;

    /// <summary>
    /// The value <paramref name="invocation"/> returns when it calls methods of this file that say (see the class);
    /// null otherwise. The source or sanitizer named is placed in the callee (<c>Console.ReadLine() in ReadName()</c>).
    /// </summary>
    public static FlowValue? Of(InvocationExpressionSyntax invocation)
    {
        if (summarising || SameFileCalls.Callees(invocation) is not { } callees)
        {
            return null;
        }

        FlowValue? worst = null;
        foreach (var method in callees)
        {
            if (Summary(method) is not { } value)
            {
                return null;
            }

            worst = worst is null ? value : FlowValue.Merge(worst, value);
        }

        return worst switch
        {
            null => null,
            { Origin: Origin.Constant, IsLiteral: false } => FlowValue.Constant,
            _ => worst with { From = $"{worst.From} in {callees[0].Identifier.ValueText}()" },
        };
    }

    /// <summary>The method's returned value when it is tainted, sanitized or constant; null when unknown.</summary>
    private static FlowValue? Summary(MethodDeclarationSyntax method)
    {
        if (Known.TryGetValue(method, out var known))
        {
            return known.Value;
        }

        summarising = true;
        FlowValue? value;
        try
        {
            value = Returned(method);
        }
        finally
        {
            summarising = false;
        }

        Known.AddOrUpdate(method, new StrongBox<FlowValue?>(value));
        return value;
    }

    private static FlowValue? Returned(MethodDeclarationSyntax method)
    {
        var flow = MemberFlow.Analyze(method);
        IEnumerable<ExpressionSyntax> returned = method.ExpressionBody is { } arrow
            ? [arrow.Expression]
            : method.Body!.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
                .OfType<ReturnStatementSyntax>()
                .Select(r => r.Expression)
                .OfType<ExpressionSyntax>();
        FlowValue? worst = null;
        foreach (var expression in returned)
        {
            if (flow.ValueAt(expression) is { } value)
            {
                worst = worst is null ? value : FlowValue.Merge(worst, value);
            }
        }

        return worst is { Origin: Origin.Unknown } ? null : worst;
    }
}
