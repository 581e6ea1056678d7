using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Flow;

/// <summary>
/// Names a file gives fixed values: <c>const</c> fields, <c>readonly</c> fields initialised with a literal, and
/// parameterless methods whose whole body returns a literal. A name declared twice with different values, or also
/// as something else, is left out. Built once per syntax tree, from declarations only (bodies are not walked).
/// </summary>
internal sealed class FileConstants
{
    private static readonly ConditionalWeakTable<SyntaxTree, FileConstants> Cache = new();
    private static readonly object Ambiguous = new();

    private readonly Dictionary<string, object?> fields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, object?> methods = new(StringComparer.Ordinal);

    public static FileConstants Of(SyntaxTree tree) => Cache.GetValue(tree, t => new FileConstants((CompilationUnitSyntax)t.GetRoot()));

    private FileConstants(CompilationUnitSyntax root)
    {
        var pending = new Stack<SyntaxList<MemberDeclarationSyntax>>();
        pending.Push(root.Members);
        while (pending.Count > 0)
        {
            foreach (var member in pending.Pop())
            {
                switch (member)
                {
                    case BaseNamespaceDeclarationSyntax ns:
                        pending.Push(ns.Members);
                        break;
                    case TypeDeclarationSyntax type:
                        pending.Push(type.Members);
                        break;
                    case FieldDeclarationSyntax field:
                        var fixedValue = field.Modifiers.Any(SyntaxKind.ConstKeyword) || field.Modifiers.Any(SyntaxKind.ReadOnlyKeyword);
                        foreach (var variable in field.Declaration.Variables)
                        {
                            Record(fields, variable.Identifier.ValueText, fixedValue && Literal(variable.Initializer?.Value, out var v) ? v : Ambiguous);
                        }

                        break;
                    case MethodDeclarationSyntax method when method.ParameterList.Parameters.Count == 0:
                        var returned = method.ExpressionBody?.Expression
                            ?? (method.Body?.Statements is [ReturnStatementSyntax { Expression: { } e }] ? e : null);
                        Record(methods, method.Identifier.ValueText, Literal(returned, out var r) ? r : Ambiguous);
                        break;
                    case MethodDeclarationSyntax method:
                        Record(methods, method.Identifier.ValueText, Ambiguous);
                        break;
                    case PropertyDeclarationSyntax property:
                        Record(fields, property.Identifier.ValueText, Ambiguous);
                        break;
                }
            }
        }
    }

    /// <summary>The value of a field of this file with a fixed literal value.</summary>
    public bool TryField(string name, out object? value) => Known(fields, name, out value);

    /// <summary>The value a parameterless method of this file always returns.</summary>
    public bool TryMethod(string name, out object? value) => Known(methods, name, out value);

    private static bool Known(Dictionary<string, object?> table, string name, out object? value)
        => table.TryGetValue(name, out value) && !ReferenceEquals(value, Ambiguous);

    private static void Record(Dictionary<string, object?> table, string name, object? value)
    {
        if (table.TryGetValue(name, out var existing) && !Equals(existing, value))
        {
            table[name] = Ambiguous;
        }
        else
        {
            table[name] = value;
        }
    }

    /// <summary>A literal (or a negated number literal): its value.</summary>
    public static bool Literal(ExpressionSyntax? expression, out object? value)
    {
        while (expression is ParenthesizedExpressionSyntax p)
        {
            expression = p.Expression;
        }

        switch (expression)
        {
            case LiteralExpressionSyntax literal:
                value = literal.Token.Value;
                return true;
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression, Operand: LiteralExpressionSyntax n } when n.Token.Value is int i:
                value = -i;
                return true;
            default:
                value = null;
                return false;
        }
    }
}
