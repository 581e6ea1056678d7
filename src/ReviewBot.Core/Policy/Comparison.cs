namespace ReviewBot.Core.Policy;

public enum ComparisonOperator
{
    Equal,
    NotEqual,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
}

/// <summary>A comparison written in the rules file as <c>"&gt;= high"</c>, <c>"&gt; 500"</c> or a bare value (equality).</summary>
public sealed record ValueComparison<T>(ComparisonOperator Operator, T Value)
    where T : struct
{
    /// <summary>The operators as written, longest first so "&gt;=" wins over "&gt;".</summary>
    public static IReadOnlyList<string> OperatorTokens { get; } = [">=", "<=", "==", "!=", ">", "<"];

    public bool Test(T actual)
    {
        var c = Comparer<T>.Default.Compare(actual, Value);
        return Operator switch
        {
            ComparisonOperator.Equal => c == 0,
            ComparisonOperator.NotEqual => c != 0,
            ComparisonOperator.Greater => c > 0,
            ComparisonOperator.GreaterOrEqual => c >= 0,
            ComparisonOperator.Less => c < 0,
            _ => c <= 0,
        };
    }

    public string Symbol => Symbols.Of(Operator);

    public override string ToString() => $"{Symbol} {Value}";
}

public static class Symbols
{
    public static string Of(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "==",
        ComparisonOperator.NotEqual => "!=",
        ComparisonOperator.Greater => ">",
        ComparisonOperator.GreaterOrEqual => ">=",
        ComparisonOperator.Less => "<",
        _ => "<=",
    };

    /// <summary>Splits "&gt;= high" into operator and operand text; a bare operand means equality.</summary>
    public static (ComparisonOperator Operator, string Operand) Split(string text)
    {
        var trimmed = text.Trim();
        foreach (var token in ValueComparison<int>.OperatorTokens)
        {
            if (trimmed.StartsWith(token, StringComparison.Ordinal))
            {
                var op = token switch
                {
                    ">=" => ComparisonOperator.GreaterOrEqual,
                    "<=" => ComparisonOperator.LessOrEqual,
                    "==" => ComparisonOperator.Equal,
                    "!=" => ComparisonOperator.NotEqual,
                    ">" => ComparisonOperator.Greater,
                    _ => ComparisonOperator.Less,
                };
                return (op, trimmed[token.Length..].Trim());
            }
        }

        return (ComparisonOperator.Equal, trimmed);
    }
}
