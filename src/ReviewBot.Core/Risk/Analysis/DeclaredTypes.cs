using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk;

/// <summary>
/// The declared type of a name, read from the file alone: the enclosing lambdas' and method's parameters, locals
/// declared before the use in the enclosing blocks, and fields and properties of the enclosing types. Rules ask it
/// instead of guessing from a member name (<c>element.GetProperty(name)</c> on a <c>JsonElement</c> is not
/// reflection; <c>gate.WaitAsync()</c> on a <c>SemaphoreSlim</c> is a lock whatever the field is called).
/// </summary>
public static class DeclaredTypes
{
    private const int MaxStatementsScanned = 400;

    /// <summary>The simple type name (without namespace, generic arguments or <c>?</c>) of what <paramref name="receiver"/> names, or null when unknown.</summary>
    public static string? Of(ExpressionSyntax? receiver)
    {
        var name = receiver switch
        {
            IdentifierNameSyntax id => id.Identifier.ValueText,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: IdentifierNameSyntax n } => n.Identifier.ValueText,
            _ => null,
        };
        if (receiver is TypeOfExpressionSyntax)
        {
            return "Type";
        }

        if (receiver is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetType" }, ArgumentList.Arguments.Count: 0 })
        {
            return "Type";
        }

        return name is null ? null : Lookup(receiver!, name);
    }

    private static string? Lookup(SyntaxNode use, string name)
    {
        var scanned = 0;
        for (var node = use.Parent; node is not null; node = node.Parent)
        {
            switch (node)
            {
                case BlockSyntax block:
                    foreach (var statement in block.Statements)
                    {
                        if (statement.SpanStart >= use.SpanStart || ++scanned > MaxStatementsScanned)
                        {
                            break;
                        }

                        if (statement is LocalDeclarationStatementSyntax local && Declares(local.Declaration, name) is { } found)
                        {
                            return found;
                        }
                    }

                    break;
                case BaseMethodDeclarationSyntax method when Parameter(method.ParameterList, name) is { } p:
                    return p;
                case LocalFunctionStatementSyntax function when Parameter(function.ParameterList, name) is { } p:
                    return p;
                case ParenthesizedLambdaExpressionSyntax lambda when Parameter(lambda.ParameterList, name) is { } p:
                    return p;
                case TypeDeclarationSyntax type:
                    if (type.ParameterList is { } primary && Parameter(primary, name) is { } pp)
                    {
                        return pp;
                    }

                    foreach (var member in type.Members)
                    {
                        if (member is FieldDeclarationSyntax field && Declares(field.Declaration, name) is { } f)
                        {
                            return f;
                        }

                        if (member is PropertyDeclarationSyntax property && property.Identifier.ValueText == name)
                        {
                            return Simple(property.Type);
                        }
                    }

                    break;
            }
        }

        return null;
    }

    private static string? Declares(VariableDeclarationSyntax declaration, string name)
    {
        foreach (var variable in declaration.Variables)
        {
            if (variable.Identifier.ValueText != name)
            {
                continue;
            }

            if (!declaration.Type.IsVar)
            {
                return Simple(declaration.Type);
            }

            return variable.Initializer?.Value switch
            {
                BaseObjectCreationExpressionSyntax creation => SyntaxHelpers.CreatedType(creation),
                TypeOfExpressionSyntax => "Type",
                InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetType" } } => "Type",
                _ => null,
            };
        }

        return null;
    }

    private static string? Parameter(ParameterListSyntax parameters, string name)
    {
        foreach (var parameter in parameters.Parameters)
        {
            if (parameter.Identifier.ValueText == name)
            {
                return parameter.Type is null ? null : Simple(parameter.Type);
            }
        }

        return null;
    }

    private static string? Simple(TypeSyntax type) => type switch
    {
        NullableTypeSyntax n => Simple(n.ElementType),
        QualifiedNameSyntax q => Simple(q.Right),
        AliasQualifiedNameSyntax a => Simple(a.Name),
        GenericNameSyntax g => g.Identifier.ValueText,
        IdentifierNameSyntax i => i.Identifier.ValueText,
        PredefinedTypeSyntax p => p.Keyword.ValueText,
        _ => type.IsKind(SyntaxKind.ArrayType) ? "array" : null,
    };
}
