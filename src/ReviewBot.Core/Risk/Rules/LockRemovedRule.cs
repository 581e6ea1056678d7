using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB4005: synchronisation removed from a member, or a lock taken on a public object.</summary>
public sealed class LockRemovedRule : ISyntaxRule, IRemovalRule
{
    /// <summary>Also reports introductions (see <see cref="IRemovalRule"/>).</summary>
    bool IRemovalRule.ReportsOnlyRemovals => false;

    private static readonly HashSet<string> SyncCalls = ["Enter", "TryEnter", "Wait", "WaitAsync", "EnterReadLock", "EnterWriteLock", "EnterUpgradeableReadLock"];

    public RuleDescriptor Descriptor { get; } = new(
        "RB4005", RiskCategories.Concurrency, Severity.High, "Lock removed or misused",
        "A lock statement, Monitor.Enter, semaphore wait (SemaphoreSlim, Mutex, ReaderWriterLockSlim… by the receiver's declared type in the file, else by its name), reader/writer lock or Interlocked operation that the base member had is gone: the state it protected can now race. Also flags new locks on this, a Type or a string, which other code can lock too.");

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.LockStatement, SyntaxKind.InvocationExpression];

    public IReadOnlyList<string> Triggers { get; } = ["lock", "Interlocked", "Enter", "Wait"];

    /// <summary>Types whose Wait/Enter calls take a lock.</summary>
    private static readonly HashSet<string> SynchronizerTypes =
        ["SemaphoreSlim", "Semaphore", "Mutex", "ReaderWriterLockSlim", "ReaderWriterLock", "Lock", "AsyncLock", "AsyncReaderWriterLock"];

    /// <summary>The receiver is declared as a lock type in the file, or (when its declaration is not in the file) is named like one.</summary>
    private static bool IsSynchronizer(InvocationExpressionSyntax invocation)
    {
        var receiver = ((MemberAccessExpressionSyntax)invocation.Expression).Expression;
        if (DeclaredTypes.Of(receiver) is { } declared)
        {
            return SynchronizerTypes.Contains(declared);
        }

        var name = SyntaxHelpers.SimpleName(receiver) ?? "";
        return name.Contains("lock", StringComparison.OrdinalIgnoreCase) || name.Contains("semaphore", StringComparison.OrdinalIgnoreCase)
            || name.Contains("mutex", StringComparison.OrdinalIgnoreCase) || name.Contains("gate", StringComparison.OrdinalIgnoreCase)
            || name.Contains("sync", StringComparison.OrdinalIgnoreCase);
    }

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        if (node is LockStatementSyntax l)
        {
            // One normalisation and one ToString per lock: every lock of a walked member is a fact.
            var target = SyntaxHelpers.Normalize(l.Expression);
            var header = (SyntaxNode)l.Expression;
            var shown = l.Expression.ToString();
            context.Report(this, header, target, $"lock ({shown}) removed: the state it guarded is no longer synchronised", FactPolarity.Removed, "lock:" + target);
            if (l.Expression is ThisExpressionSyntax or TypeOfExpressionSyntax or LiteralExpressionSyntax)
            {
                context.Report(this, header, target, $"lock ({shown}) added: other code can take the same lock", FactPolarity.Introduced, "badlock:" + target);
            }

            return;
        }

        var invocation = (InvocationExpressionSyntax)node;
        var (name, receiver) = SyntaxHelpers.Invoked(invocation);
        if (receiver is null || name is null)
        {
            return;
        }

        if (receiver == "Interlocked" || (receiver == "Monitor" && name is "Enter" or "TryEnter")
            || (SyncCalls.Contains(name) && receiver != "Monitor" && IsSynchronizer(invocation)))
        {
            context.Report(this, invocation, $"{receiver}.{name} removed: the synchronisation it provided is gone", FactPolarity.Removed, key: receiver + "." + name);
        }
    }
}
