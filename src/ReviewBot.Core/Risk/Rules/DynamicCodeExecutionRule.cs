using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB3003: code compiled or evaluated at run time.</summary>
public sealed class DynamicCodeExecutionRule : ISyntaxRule
{
    private static readonly HashSet<(string Receiver, string Name)> Calls =
    [
        ("CSharpScript", "EvaluateAsync"), ("CSharpScript", "RunAsync"), ("CSharpScript", "Create"), ("CSharpCompilation", "Create"),
        ("DynamicExpressionParser", "ParseLambda"), ("AssemblyBuilder", "DefineDynamicAssembly"), ("AppDomain", "DefineDynamicAssembly"),
    ];

    private static readonly HashSet<string> AnyReceiver = ["CompileAssemblyFromSource", "CompileAssemblyFromDom", "RunCompile", "CompileRenderAsync"];

    private static readonly HashSet<string> Types = ["CSharpCodeProvider", "VBCodeProvider", "JScriptCodeProvider", "DynamicMethod"];

    public RuleDescriptor Descriptor { get; } = new(
        "RB3003", RiskCategories.Injection, Severity.Critical, "Dynamic code execution",
        "Compiling or evaluating code at run time (CodeDom providers, Roslyn scripting or compilation, System.Linq.Dynamic, Razor template compilation, Reflection.Emit) executes whatever text reaches it: a direct path from input to code execution. Creating a compiler or emitting code is reported as such; for calls that compile or evaluate source text, the flow pass follows the text: constant or sanitized (e.g. parsed as a number) source is no finding, source built from request data, the console, the environment, files, sockets or databases is critical, source of unknown origin is medium and says so.")
    {
        Cwes = [94, 95],
    };

    /// <summary>Calls whose arguments are source text (or an expression string) that gets compiled or evaluated.</summary>
    private static readonly HashSet<string> CompilesText =
        ["CompileAssemblyFromSource", "EvaluateAsync", "RunAsync", "Create", "ParseLambda", "RunCompile", "CompileRenderAsync"];

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.InvocationExpression, SyntaxKind.ObjectCreationExpression];

    public IReadOnlyList<string> Triggers { get; } = [.. Calls.Select(c => c.Name).Distinct(), .. AnyReceiver, .. Types];

    public bool JudgesSinksByFlow => true;

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        string? what = node switch
        {
            InvocationExpressionSyntax i when SyntaxHelpers.Invoked(i) is ({ } n, var r)
                && (AnyReceiver.Contains(n) || (r is not null && Calls.Contains((r, n)))) => (r is null ? "" : r + ".") + n,
            ObjectCreationExpressionSyntax o when SyntaxHelpers.CreatedType(o) is { } t && Types.Contains(t) => "new " + t,
            _ => null,
        };
        if (what is null)
        {
            return;
        }

        if (node is InvocationExpressionSyntax call && SyntaxHelpers.SimpleName(call.Expression) is { } name && CompilesText.Contains(name)
            && !(name == "Create" && SyntaxHelpers.ReceiverName(call.Expression) == "CSharpCompilation"))
        {
            Flow.FlowSink.Report(this, context, node, what, "runs code the data chooses", [.. call.ArgumentList.Arguments.Select(a => a.Expression)]);
            return;
        }

        context.Report(this, node, $"{what} added: code is compiled or evaluated at run time");
    }
}
