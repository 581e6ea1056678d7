using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB4004: blocking on tasks (.Result, .Wait(), .GetAwaiter().GetResult()).</summary>
public sealed class SyncOverAsyncRule : ISyntaxRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB4004", RiskCategories.Concurrency, Severity.Medium, "Sync-over-async blocking",
        ".Result (unless the task was awaited or checked complete before), .Wait() and .GetAwaiter().GetResult() on a task (by its declared type in the file, else by name) block a thread until it completes: under load this starves the thread pool, and with a synchronization context it deadlocks. Await instead.");

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.SimpleMemberAccessExpression];

    public IReadOnlyList<string> Triggers { get; } = ["Result", "Wait", "GetResult"];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        var access = (MemberAccessExpressionSyntax)node;
        var name = access.Name.Identifier.ValueText;
        var blocking = name switch
        {
            "Result" => access.Parent is not InvocationExpressionSyntax && LooksLikeTask(access.Expression) && !AlreadyCompleted(access.Expression),
            "Wait" => access.Parent is InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0 } && LooksLikeTask(access.Expression),
            "GetResult" => access.Expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetAwaiter" } awaiter }
                && !AlreadyCompleted(awaiter.Expression),
            "WaitAll" or "WaitAny" => SyntaxHelpers.SimpleName(access.Expression) == "Task",
            _ => false,
        };
        if (blocking)
        {
            // Keyed by what blocks on what (not the whole text): an unchanged .Wait() on Task.Run(...) whose lambda was edited is not new.
            var on = access.Expression is InvocationExpressionSyntax call ? SyntaxHelpers.SimpleName(call.Expression) + "()" : SyntaxHelpers.Normalize(access.Expression);
            context.Report(this, access.Parent is InvocationExpressionSyntax i ? i : access, $".{name} blocks on a task: await it instead", key: name + ":" + on);
        }
    }

    private static readonly HashSet<string> TaskTypes = ["Task", "ValueTask", "Task`1", "IAsyncResult"];

    /// <summary>A call of an *Async method or Task.Run, or a name declared as Task/ValueTask (or, undeclared in the file, named like one).</summary>
    private static bool LooksLikeTask(ExpressionSyntax e) => e switch
    {
        InvocationExpressionSyntax i => SyntaxHelpers.SimpleName(i.Expression) is { } n && (n.EndsWith("Async", StringComparison.Ordinal) || n == "Run"),
        _ when DeclaredTypes.Of(e) is { } declared => TaskTypes.Contains(declared),
        _ => SyntaxHelpers.SimpleName(e) is { } n && n.Contains("task", StringComparison.OrdinalIgnoreCase),
    };

    /// <summary>
    /// The task was awaited earlier in the same method (<c>await t</c>, <c>await Task.WhenAll(..., t, ...)</c>) or
    /// checked with IsCompleted*: reading its Result no longer blocks.
    /// </summary>
    private static bool AlreadyCompleted(ExpressionSyntax task)
    {
        if (task is not IdentifierNameSyntax { Identifier.ValueText: var name })
        {
            return false;
        }

        var body = task.FirstAncestorOrSelf<MemberDeclarationSyntax>();
        if (body is null)
        {
            return false;
        }

        foreach (var node in body.DescendantNodes(n => n.SpanStart < task.SpanStart))
        {
            if (node.SpanStart >= task.SpanStart)
            {
                continue;
            }

            switch (node)
            {
                case AwaitExpressionSyntax { Expression: var awaited } when Mentions(awaited, name):
                    return true;
                case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "IsCompleted" or "IsCompletedSuccessfully" } check
                    when check.Expression is IdentifierNameSyntax { Identifier.ValueText: var checkedName } && checkedName == name:
                    return true;
            }
        }

        return false;
    }

    private static bool Mentions(ExpressionSyntax expression, string name)
        => expression.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(i => i.Identifier.ValueText == name);
}
