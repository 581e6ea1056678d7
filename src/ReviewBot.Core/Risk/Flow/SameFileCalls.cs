using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Flow;

/// <summary>
/// Calls the file itself resolves: on no receiver, <c>this</c>, or the name of an enclosing type, to methods the
/// enclosing types declare. A call resolves only when every method of that name there (every overload) has a body and
/// no subclass can replace it (not <c>virtual</c> or <c>abstract</c>): then what the code of the file says is what runs.
/// </summary>
internal static class SameFileCalls
{
    private static readonly ConditionalWeakTable<TypeDeclarationSyntax, Dictionary<string, List<MethodDeclarationSyntax>>> MethodsByName = new();

    /// <summary>The methods <paramref name="invocation"/> may call; null when the file does not resolve it (see the class).</summary>
    public static IReadOnlyList<MethodDeclarationSyntax>? Callees(InvocationExpressionSyntax invocation)
    {
        var (name, owner) = invocation.Expression switch
        {
            IdentifierNameSyntax id => (id.Identifier.ValueText, null),
            GenericNameSyntax generic => (generic.Identifier.ValueText, null),
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: var n } => (n.Identifier.ValueText, null),
            MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax type, Name: var n } => (n.Identifier.ValueText, type.Identifier.ValueText),
            _ => ((string?)null, (string?)null),
        };
        if (name is null)
        {
            return null;
        }

        List<MethodDeclarationSyntax>? callees = null;
        foreach (var type in invocation.Ancestors().OfType<TypeDeclarationSyntax>())
        {
            if (owner is not null && type.Identifier.ValueText != owner)
            {
                continue;
            }

            foreach (var method in Methods(type).GetValueOrDefault(name) ?? [])
            {
                if ((method.Body is null && method.ExpressionBody is null)
                    || method.Modifiers.Any(m => m.IsKind(SyntaxKind.VirtualKeyword) || m.IsKind(SyntaxKind.AbstractKeyword)))
                {
                    return null;
                }

                (callees ??= []).Add(method);
            }
        }

        return callees;
    }

    private static Dictionary<string, List<MethodDeclarationSyntax>> Methods(TypeDeclarationSyntax type)
        => MethodsByName.GetValue(type, t =>
        {
            var byName = new Dictionary<string, List<MethodDeclarationSyntax>>(StringComparer.Ordinal);
            foreach (var method in t.Members.OfType<MethodDeclarationSyntax>())
            {
                var name = method.Identifier.ValueText;
                if (!byName.TryGetValue(name, out var list))
                {
                    byName[name] = list = [];
                }

                list.Add(method);
            }

            return byName;
        });
}
