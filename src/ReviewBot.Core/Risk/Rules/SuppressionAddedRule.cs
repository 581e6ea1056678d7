using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB6001: analyzer warnings suppressed in code.</summary>
public sealed partial class SuppressionAddedRule : ISyntaxRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB6001", RiskCategories.Suppression, Severity.Medium, "Analyzer suppression added",
        "#pragma warning disable or [SuppressMessage] silences a diagnostic the build would otherwise raise: check the suppressed id is not a security rule (CA2xxx/CA3xxx/CA5xxx, SYSLIB0011, SCS*) and the justification holds. Raised to high for security ids.");

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.PragmaWarningDirectiveTrivia, SyntaxKind.Attribute];

    public IReadOnlyList<string> Triggers { get; } = ["SuppressMessage"];

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        string ids;
        if (node is PragmaWarningDirectiveTriviaSyntax pragma)
        {
            if (!pragma.DisableOrRestoreKeyword.IsKind(SyntaxKind.DisableKeyword))
            {
                return;
            }

            ids = pragma.ErrorCodes.Count == 0 ? "all warnings" : string.Join(", ", pragma.ErrorCodes.Select(c => c.ToString()));
            Report(context, node, "#pragma warning disable " + ids, ids, "pragma:" + ids);
        }
        else if (node is AttributeSyntax a && SyntaxHelpers.AttributeName(a) is "SuppressMessage" or "UnconditionalSuppressMessage")
        {
            ids = a.ArgumentList?.Arguments.Count > 1 ? a.ArgumentList.Arguments[1].Expression.ToString().Trim('"') : "";
            Report(context, a, $"[{SyntaxHelpers.AttributeName(a)}] for {ids}", ids, null);
        }
    }

    private void Report(SyntaxContext context, SyntaxNode node, string what, string ids, string? key)
    {
        var security = ids.Contains("all warnings", StringComparison.Ordinal) || IsSecurityId(ids);
        context.Report(this, node, $"{what} added" + (security ? ": security diagnostics silenced" : ""), key: key,
            severity: security ? Severity.High : null);
    }

    internal static bool IsSecurityId(string ids) => SecurityIds().IsMatch(ids);

    [GeneratedRegex(@"\b(CA2[13]\d\d|CA3\d{3}|CA5\d{3}|SYSLIB0011|SCS\d{4}|S\d{4})\b", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex SecurityIds();
}
