using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB3012: LDAP filters or paths built from non-constant text.</summary>
public sealed class LdapInjectionRule : ISyntaxRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "RB3012", RiskCategories.Injection, Severity.High, "LDAP filter built from non-constant text",
        "new DirectorySearcher(x), DirectorySearcher.Filter = x or new DirectoryEntry(x) with text that is not constant lets input rewrite the LDAP query (e.g. '*)(uid=*'). Escape values (RFC 4515) or use fixed filters. The flow pass follows the filter through locals and string building: constant or escaped text is no finding, text from request data, the console, the environment, files, sockets or databases is high, text of unknown origin is medium and says so.")
    {
        Cwes = [90],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.ObjectCreationExpression, SyntaxKind.SimpleAssignmentExpression];

    public IReadOnlyList<string> Triggers { get; } = ["DirectorySearcher", "DirectoryEntry", "Filter"];

    public bool JudgesSinksByFlow => true;

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        var (text, what) = node switch
        {
            ObjectCreationExpressionSyntax o when SyntaxHelpers.CreatedType(o) is "DirectorySearcher" or "DirectoryEntry"
                => (SyntaxHelpers.Arg(o.ArgumentList, 0), "new " + SyntaxHelpers.CreatedType(o)),
            AssignmentExpressionSyntax a when SyntaxHelpers.AssignedName(a) == "Filter"
                && (a.Left.ToString().Contains("earch", StringComparison.OrdinalIgnoreCase) || a.Parent is InitializerExpressionSyntax { Parent: ObjectCreationExpressionSyntax { Type: var t } } && t.ToString().EndsWith("DirectorySearcher", StringComparison.Ordinal))
                => (a.Right, "DirectorySearcher.Filter"),
            _ => ((ExpressionSyntax?)null, ""),
        };
        if (text is not null)
        {
            Flow.FlowSink.Report(this, context, node, what, "LDAP injection: escape the values (RFC 4515)", text);
        }
    }
}
