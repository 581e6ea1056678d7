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
        "#pragma warning disable or [SuppressMessage] silences a diagnostic the build would otherwise raise: check the suppressed id is not a security rule (CA2xxx/CA3xxx/CA5xxx, SYSLIB0011, SCS*) and the justification holds. Raised to high for security ids; low when every id is a library's experimental-API diagnostic (an opt-in, not a silenced check).");

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
        var experimental = !security && IsExperimentalOptIn(ids);
        context.Report(this, node, $"{what} added" + (security ? ": security diagnostics silenced" : experimental ? ": opts in to an experimental API" : ""), key: key,
            severity: security ? Severity.High : experimental ? Severity.Low : null);
    }

    internal static bool IsSecurityId(string ids) => SecurityIds().IsMatch(ids);

    /// <summary>
    /// Every id is a library's experimental-API diagnostic (<c>[Experimental("ACME001")]</c>: <c>MCPEXP001</c>,
    /// <c>ASPIREINTERACTION001</c>, <c>SKEXP0001</c>), not a compiler or analyzer check (CS, CA, IDE, IL, SYSLIB, …):
    /// suppressing it accepts an API that may change, it silences no check.
    /// </summary>
    internal static bool IsExperimentalOptIn(string ids)
    {
        var list = ids.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return list.Length > 0 && list.All(id => DiagnosticId().Match(id) is { Success: true } m && !AnalyzerFamilies.Contains(m.Groups[1].Value));
    }

    /// <summary>Prefixes of compiler, SDK and common analyzer diagnostic ids.</summary>
    private static readonly HashSet<string> AnalyzerFamilies = new(
    [
        "CA", "CS", "IDE", "IL", "SYSLIB", "NU", "NETSDK", "MSB", "SA", "SX", "RCS", "VSTHRD", "MA", "XUNIT", "NUNIT", "MSTEST", "SCS", "S",
        "RS", "AD", "CC", "BL", "ASP", "EF", "AZC", "RZ", "WFAC", "WFO", "BC", "VB", "AV", "IDISP", "REFL", "GU", "HAA", "SS", "ERP", "CRR", "U2U",
    ], StringComparer.OrdinalIgnoreCase);

    [GeneratedRegex(@"^([A-Za-z]+)\d+$", RegexOptions.None, 1000)]
    private static partial Regex DiagnosticId();

    [GeneratedRegex(@"\b(CA2[13]\d\d|CA3\d{3}|CA5\d{3}|SYSLIB0011|SCS\d{4}|S\d{4})\b", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex SecurityIds();
}
