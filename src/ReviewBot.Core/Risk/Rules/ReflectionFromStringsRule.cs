using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB3005: types or members chosen by run-time strings, or private members reached.</summary>
public sealed class ReflectionFromStringsRule : ISyntaxRule
{
    private static readonly HashSet<string> ByName = ["GetMethod", "GetProperty", "GetField", "GetMember"];

    public RuleDescriptor Descriptor { get; } = new(
        "RB3005", RiskCategories.Injection, Severity.Medium, "Reflection driven by strings",
        "Type.GetType(x), Activator.CreateInstance with a type name, InvokeMember, GetMethod(x) with a non-constant name, or BindingFlags.NonPublic let data decide which code runs, or bypass accessibility. The flow pass follows the names: constant names are no finding, names from request data, the console, the environment, files, sockets or databases are high, names of unknown origin are medium.")
    {
        Cwes = [470],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } = [SyntaxKind.InvocationExpression, SyntaxKind.SimpleMemberAccessExpression];

    public IReadOnlyList<string> Triggers { get; } = ["NonPublic", "GetType", "CreateInstance", "InvokeMember", .. ByName];

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
            ("CreateInstance", "Activator") when first is InvocationExpressionSyntax inner && SyntaxHelpers.Invoked(inner) is ("GetType", "Type")
                => ("Activator.CreateInstance(Type.GetType(...))", inner.ArgumentList.Arguments.Take(1)),
            ("CreateInstance", "Activator") when args.Count >= 2 && args.Take(2).All(a => a.Expression is not TypeOfExpressionSyntax)
                && first is not IdentifierNameSyntax { Identifier.ValueText: "type" or "t" } => ("Activator.CreateInstance by type name", args.Take(2)),
            ({ } n, _) when ByName.Contains(n) && first is not null and not TypeOfExpressionSyntax => (n, args.Take(1)),
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
