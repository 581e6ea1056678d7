using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ReviewBot.Core.Risk.Analysis;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB3005: types or members chosen by run-time strings, or private members reached.</summary>
public sealed class ReflectionFromStringsRule : ISyntaxRule
{
    private static readonly HashSet<string> ByName = ["GetMethod", "GetProperty", "GetField", "GetMember"];

    public RuleDescriptor Descriptor { get; } = new(
        "RB3005", RiskCategories.Injection, Severity.Medium, "Reflection driven by strings",
        "Type.GetType(x), Activator.CreateInstance with a type name, InvokeMember, GetMethod(x) with a non-constant name on a Type (its declared type read from the file; JsonElement.GetProperty and local helpers are not reflection), or BindingFlags.NonPublic let data decide which code runs, or bypass accessibility. The flow pass follows the names: constant names are no finding, names from request data, the console, the environment, files, sockets or databases are high, names of unknown origin are medium.")
    {
        Cwes = [470],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.InvocationExpression, SyntaxKind.SimpleMemberAccessExpression];

    public IReadOnlyList<string> Triggers { get; } = ["NonPublic", "GetType", "CreateInstance", "InvokeMember", .. ByName];

    public bool JudgesSinksByFlow => true;

    /// <summary>
    /// GetMethod/GetProperty/GetField/GetMember called on a <see cref="System.Type"/>: <c>typeof(T)</c>, <c>x.GetType()</c>,
    /// something declared as <c>Type</c>/<c>TypeInfo</c>, or an undeclared receiver named like a type. Not a local helper of
    /// that name (no receiver) and not <c>JsonElement.GetProperty</c> or other APIs of other declared types.
    /// </summary>
    private static bool OnType(InvocationExpressionSyntax invocation)
    {
        if (invocation.Expression is not MemberAccessExpressionSyntax access)
        {
            return false;
        }

        return DeclaredTypes.Of(access.Expression) is { } declared
            ? declared is "Type" or "TypeInfo"
            : SyntaxHelpers.SimpleName(access.Expression) is { } receiver && receiver.Contains("type", StringComparison.OrdinalIgnoreCase);
    }

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        if (node is MemberAccessExpressionSyntax m)
        {
            if (SyntaxHelpers.SimpleName(m.Expression) == "BindingFlags" && m.Name.Identifier.ValueText == "NonPublic")
            {
                context.Report(this, m, "BindingFlags.NonPublic added: reaches private members");
            }

            return;
        }

        var invocation = (InvocationExpressionSyntax)node;
        var (name, receiver) = SyntaxHelpers.Invoked(invocation);
        var args = invocation.ArgumentList.Arguments;
        var first = SyntaxHelpers.Arg(invocation.ArgumentList, 0);
        var (what, names) = (name, receiver) switch
        {
            ("GetType", "Type") => ("Type.GetType", args.Take(1)),
            ("CreateInstance", "Activator") when ReflectedApi.CreatesNamedType(invocation) => ((string?)null, []), // judged as the constructor it names
            ("CreateInstance", "Activator") when first is InvocationExpressionSyntax inner && SyntaxHelpers.Invoked(inner) is ("GetType", "Type")
                => ("Activator.CreateInstance(Type.GetType(...))", inner.ArgumentList.Arguments.Take(1)),
            ("CreateInstance", "Activator") when args.Count >= 2 && args.Take(2).All(a => a.Expression is not TypeOfExpressionSyntax)
                && first is not IdentifierNameSyntax { Identifier.ValueText: "type" or "t" } => ("Activator.CreateInstance by type name", args.Take(2)),
            ({ } n, _) when ByName.Contains(n) && first is not null and not TypeOfExpressionSyntax && OnType(invocation) => (n, args.Take(1)),
            _ => ((string?)null, []),
        };
        if (name == "InvokeMember")
        {
            context.Report(this, invocation, "InvokeMember added: data decides which code runs");
        }
        else if (what is not null)
        {
            Flow.FlowSink.Report(this, context, invocation, what, "data decides which code runs", [.. names.Select(a => a.Expression)]);
        }
    }
}
