using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB4004: blocking on tasks (.Result, .Wait(), .GetAwaiter().GetResult()).</summary>
public sealed class SyncOverAsyncRule : ISyntaxRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB4004", RiskCategories.Concurrency, Severity.Medium, "Sync-over-async blocking",
        ".Result, .Wait() and .GetAwaiter().GetResult() on a task block a thread until it completes: under load this starves the thread pool, and with a synchronization context it deadlocks. Await instead.");

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.SimpleMemberAccessExpression];

    public IReadOnlyList<string> Triggers { get; } = ["Result", "Wait", "GetResult"];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        var access = (MemberAccessExpressionSyntax)node;
        var name = access.Name.Identifier.ValueText;
        var blocking = name switch
        {
            "Result" => access.Parent is not InvocationExpressionSyntax && LooksLikeTask(access.Expression),
            "Wait" => access.Parent is InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0 } && LooksLikeTask(access.Expression),
            "GetResult" => access.Expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetAwaiter" } },
            "WaitAll" or "WaitAny" => SyntaxHelpers.SimpleName(access.Expression) == "Task",
            _ => false,
        };
        if (blocking)
        {
            context.Report(this, access.Parent is InvocationExpressionSyntax i ? i : access, $".{name} blocks on a task: await it instead");
        }
    }

    private static bool LooksLikeTask(ExpressionSyntax e) => e switch
    {
        InvocationExpressionSyntax i => SyntaxHelpers.SimpleName(i.Expression) is { } n && (n.EndsWith("Async", StringComparison.Ordinal) || n == "Run"),
        _ => SyntaxHelpers.SimpleName(e) is { } n && n.Contains("task", StringComparison.OrdinalIgnoreCase),
    };
}
