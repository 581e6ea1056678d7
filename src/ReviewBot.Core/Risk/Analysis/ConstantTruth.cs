using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk;

/// <summary>
/// The truth value of a boolean expression that is trivially constant: <c>true</c>, <c>!false</c>, <c>(true)</c>,
/// <c>e == e</c> (the same side-effect-free operand twice), <c>1 == 1</c>, <c>true || x</c>, <c>x &amp;&amp; false</c>, and
/// so on. A validation callback written <c>(a, b, c, d) =&gt; !false</c> accepts everything just as <c>=&gt; true</c> does.
/// Null when the value depends on run-time data. Depth-guarded.
/// </summary>
public static class ConstantTruth
{
    private const int MaxDepth = 32;

    public static bool? Of(ExpressionSyntax? expression) => Of(expression, 0);

    private static bool? Of(ExpressionSyntax? expression, int depth)
    {
        if (expression is null || depth > MaxDepth)
        {
            return null;
        }

        switch (expression)
        {
            case LiteralExpressionSyntax l when l.IsKind(SyntaxKind.TrueLiteralExpression):
                return true;
            case LiteralExpressionSyntax l when l.IsKind(SyntaxKind.FalseLiteralExpression):
                return false;
            case ParenthesizedExpressionSyntax p:
                return Of(p.Expression, depth + 1);
            case PrefixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.LogicalNotExpression):
                return !Of(u.Operand, depth + 1);
            case BinaryExpressionSyntax b:
                return Binary(b, depth);
            default:
                return null;
        }
    }

    private static bool? Binary(BinaryExpressionSyntax b, int depth)
    {
        switch (b.Kind())
        {
            case SyntaxKind.LogicalOrExpression:
            {
                var (left, right) = (Of(b.Left, depth + 1), Of(b.Right, depth + 1));
                return left == true || right == true ? true : left == false && right == false ? false : null;
            }

            case SyntaxKind.LogicalAndExpression:
            {
                var (left, right) = (Of(b.Left, depth + 1), Of(b.Right, depth + 1));
                return left == false || right == false ? false : left == true && right == true ? true : null;
            }

            case SyntaxKind.EqualsExpression or SyntaxKind.NotEqualsExpression
                or SyntaxKind.LessThanOrEqualExpression or SyntaxKind.GreaterThanOrEqualExpression
                or SyntaxKind.LessThanExpression or SyntaxKind.GreaterThanExpression:
            {
                var same = SameValue(b.Left, b.Right);
                if (same is null)
                {
                    return null;
                }

                // Of a value compared with itself: ==, <=, >= hold; !=, <, > do not. Two different constants: only == and != are known.
                return same.Value
                    ? b.Kind() is SyntaxKind.EqualsExpression or SyntaxKind.LessThanOrEqualExpression or SyntaxKind.GreaterThanOrEqualExpression
                    : b.Kind() switch
                    {
                        SyntaxKind.EqualsExpression => false,
                        SyntaxKind.NotEqualsExpression => true,
                        _ => null,
                    };
            }

            default:
                return null;
        }
    }

    /// <summary>True: both sides are the same name, member chain or literal (so equal, floating-point NaN aside); false: two different literals; null: unknown.</summary>
    private static bool? SameValue(ExpressionSyntax left, ExpressionSyntax right)
    {
        left = Unwrap(left);
        right = Unwrap(right);
        if (left is LiteralExpressionSyntax a && right is LiteralExpressionSyntax c)
        {
            return a.Token.ValueText == c.Token.ValueText && a.Kind() == c.Kind();
        }

        return IsPlainName(left) && IsPlainName(right) && left.IsEquivalentTo(right, topLevel: false) ? true : null;
    }

    private static bool IsPlainName(ExpressionSyntax e) => e switch
    {
        IdentifierNameSyntax or ThisExpressionSyntax => true,
        MemberAccessExpressionSyntax m => IsPlainName(m.Expression),
        _ => false,
    };

    private static ExpressionSyntax Unwrap(ExpressionSyntax e)
    {
        for (var depth = 0; e is ParenthesizedExpressionSyntax p && depth < MaxDepth; depth++)
        {
            e = p.Expression;
        }

        return e;
    }
}
