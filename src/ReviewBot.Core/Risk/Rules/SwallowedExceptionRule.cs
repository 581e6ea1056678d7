using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB4006: empty catch blocks, 'throw ex;', and failure checks whose branch does nothing.</summary>
public sealed class SwallowedExceptionRule : ISyntaxRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB4006", RiskCategories.Reliability, Severity.Medium, "Exception swallowed",
        "An empty catch block hides failures (unless a comment says why and the failure is rethrown around or after it) (including security checks that threw); 'throw ex;' discards the original stack trace; an 'if' whose only branch is empty (under every #if symbol) checks a condition and does nothing about it. Handle, log and rethrow with 'throw;', or catch only what you expect. Either shape in a catch of Exception (or SystemException, or a bare catch) also names CWE-396: everything, not only the expected failure, is hidden or rethrown; 'throw ex;' names only that one (a rethrow acts on the failure, so it is no error without action).")
    {
        Cwes = [390, 391, 396],
    };

    /// <summary>The CWE ids of a finding in a catch of specific exceptions, and in a catch of everything.</summary>
    private static readonly IReadOnlyList<int> SpecificCatch = [390, 391], GenericCatch = [390, 391, 396];

    /// <summary>
    /// 'throw ex;' acts on the failure (it rethrows), so it is no error-without-action (CWE-390/391); in a catch of
    /// everything it is still CWE-396.
    /// </summary>
    private static readonly IReadOnlyList<int> RethrowSpecific = [], RethrowGeneric = [396];

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.CatchClause, SyntaxKind.ThrowStatement, SyntaxKind.IfStatement];

    public IReadOnlyList<string> Triggers { get; } = ["catch", "throw", "if"];

    /// <summary>A catch of everything: no type, <c>object</c>, <c>Exception</c> or <c>SystemException</c> (qualified or not), without a <c>when</c> filter.</summary>
    private static bool CatchesEverything(CatchClauseSyntax c)
        => c.Filter is null && (c.Declaration is null || SyntaxHelpers.SimpleName(c.Declaration.Type) is "Exception" or "SystemException" or "object" or "Object");

    private static IReadOnlyList<int> CwesOf(CatchClauseSyntax c) => CatchesEverything(c) ? GenericCatch : SpecificCatch;

    /// <summary>
    /// A deliberate empty catch: a comment inside says why, and the failure still surfaces — the try sits in a catch
    /// block that rethrows, or a throw follows it in the same block (best-effort cleanup before a rethrow).
    /// </summary>
    private static bool Explained(CatchClauseSyntax c)
    {
        var block = c.Block;
        var commented = block.OpenBraceToken.TrailingTrivia.Concat(block.CloseBraceToken.LeadingTrivia)
            .Any(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia));
        if (!commented || c.Parent is not TryStatementSyntax tryStatement)
        {
            return false;
        }

        var rethrownAround = tryStatement.Ancestors().OfType<CatchClauseSyntax>().FirstOrDefault()?.Block.Statements
            .Any(s => s is ThrowStatementSyntax) == true;
        var throwFollows = tryStatement.Parent is BlockSyntax outer
            && outer.Statements.SkipWhile(s => s != tryStatement).Skip(1).Any(s => s is ThrowStatementSyntax);
        return rethrownAround || throwFollows;
    }

    /// <summary>A directive, or code it disabled: the branch is empty only under these symbols (its statements are in an <c>#if</c>).</summary>
    private static bool IsConditionalCode(SyntaxTrivia t) => t.IsDirective || t.IsKind(SyntaxKind.DisabledTextTrivia);

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        if (node is CatchClauseSyntax c)
        {
            if (c.Block.Statements.Count == 0 && !Explained(c))
            {
                var what = c.Declaration is null ? "catch" : $"catch ({c.Declaration.Type})";
                context.Report(this, c.CatchKeyword.Parent!, $"empty {what} added: failures are silently ignored",
                    key: "empty-catch:" + (c.Declaration?.Type.ToString() ?? ""), cwes: CwesOf(c));
            }

            return;
        }

        if (node is IfStatementSyntax check)
        {
            if (check.Else is null && check.Statement is BlockSyntax { Statements.Count: 0 } body && check.Condition is not LiteralExpressionSyntax
                && !body.OpenBraceToken.TrailingTrivia.Concat(body.CloseBraceToken.LeadingTrivia).Any(IsConditionalCode))
            {
                context.Report(this, check, $"if ({SyntaxHelpers.Normalize(check.Condition)}) with an empty body added: the condition is checked and nothing is done about it",
                    cwes: SpecificCatch);
            }

            return;
        }

        var t = (ThrowStatementSyntax)node;
        if (t.Expression is IdentifierNameSyntax id && t.FirstAncestorOrSelf<CatchClauseSyntax>() is { } owner && owner.Declaration?.Identifier.ValueText == id.Identifier.ValueText)
        {
            context.Report(this, t, $"throw {id.Identifier.ValueText}; added: the original stack trace is lost (use throw;)",
                cwes: CatchesEverything(owner) ? RethrowGeneric : RethrowSpecific);
        }
    }
}
