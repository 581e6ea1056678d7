using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB4006: empty catch blocks and 'throw ex;'.</summary>
public sealed class SwallowedExceptionRule : ISyntaxRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB4006", RiskCategories.Reliability, Severity.Medium, "Exception swallowed",
        "An empty catch block hides failures (unless a comment says why and the failure is rethrown around or after it) (including security checks that threw); 'throw ex;' discards the original stack trace. Handle, log and rethrow with 'throw;', or catch only what you expect.")
    {
        Cwes = [390, 391],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.CatchClause, SyntaxKind.ThrowStatement];

    public IReadOnlyList<string> Triggers { get; } = ["catch", "throw"];

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

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        if (node is CatchClauseSyntax c)
        {
            if (c.Block.Statements.Count == 0 && !Explained(c))
            {
                var what = c.Declaration is null ? "catch" : $"catch ({c.Declaration.Type})";
                context.Report(this, c.CatchKeyword.Parent!, $"empty {what} added: failures are silently ignored",
                    key: "empty-catch:" + (c.Declaration?.Type.ToString() ?? ""));
            }

            return;
        }

        var t = (ThrowStatementSyntax)node;
        if (t.Expression is IdentifierNameSyntax id && t.FirstAncestorOrSelf<CatchClauseSyntax>()?.Declaration?.Identifier.ValueText == id.Identifier.ValueText)
        {
            context.Report(this, t, $"throw {id.Identifier.ValueText}; added: the original stack trace is lost (use throw;)");
        }
    }
}
