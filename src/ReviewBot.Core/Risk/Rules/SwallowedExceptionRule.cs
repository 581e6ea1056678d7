using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB4006: empty catch blocks and 'throw ex;'.</summary>
public sealed class SwallowedExceptionRule : ISyntaxRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB4006", RiskCategories.Reliability, Severity.Medium, "Exception swallowed",
        "An empty catch block hides failures (including security checks that threw); 'throw ex;' discards the original stack trace. Handle, log and rethrow with 'throw;', or catch only what you expect.")
    {
        Cwes = [390, 391],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.CatchClause, SyntaxKind.ThrowStatement];

    public IReadOnlyList<string> Triggers { get; } = ["catch", "throw"];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        if (node is CatchClauseSyntax c)
        {
            if (c.Block.Statements.Count == 0)
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
