using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReviewBot.Core.Risk.Rules;

/// <summary>RB3001: SQL text built by concatenation/interpolation/format passed to a SQL sink.</summary>
public sealed class SqlFromNonConstantStringRule : ISyntaxRule
{
    private static readonly HashSet<string> CommandTypes =
        ["SqlCommand", "OleDbCommand", "OdbcCommand", "NpgsqlCommand", "SqliteCommand", "SQLiteCommand", "MySqlCommand", "OracleCommand", "SqlDataAdapter"];

    private static readonly HashSet<string> RawMethods = ["ExecuteSqlRaw", "ExecuteSqlRawAsync", "SqlQueryRaw", "FromSqlRaw"];

    private static readonly HashSet<string> DapperMethods =
    [
        "Query", "QueryAsync", "QueryFirst", "QueryFirstAsync", "QueryFirstOrDefault", "QueryFirstOrDefaultAsync", "QuerySingle",
        "QuerySingleAsync", "QuerySingleOrDefault", "QuerySingleOrDefaultAsync", "QueryMultiple", "QueryMultipleAsync", "Execute",
        "ExecuteAsync", "ExecuteScalar", "ExecuteScalarAsync", "ExecuteReader", "ExecuteReaderAsync",
    ];

    public RuleDescriptor Descriptor { get; } = new(
        "RB3001", RiskCategories.Injection, Severity.High, "SQL built from non-constant text",
        "SQL text that is not constant, handed to SqlCommand, CommandText, ExecuteSqlRaw/FromSqlRaw or Dapper, is open to SQL injection. Use parameters (or FromSql/ExecuteSql with an interpolated FormattableString). The flow pass follows the text through locals, concatenation, interpolation, string.Format/Join and StringBuilder: constant or sanitized (numeric, encoded, allow-listed) text is no finding, text from request data, the console, the environment, files, sockets or databases is high, text of unknown origin (a parameter, a field, a call) is medium and says so.")
    {
        Cwes = [89],
    };

    public IReadOnlyList<SyntaxKind> Kinds { get; } =
        [SyntaxKind.ObjectCreationExpression, SyntaxKind.SimpleAssignmentExpression, SyntaxKind.AddAssignmentExpression, SyntaxKind.InvocationExpression];

    public IReadOnlyList<string> Triggers { get; } = [.. CommandTypes, "CommandText", .. RawMethods, .. DapperMethods];

    public bool JudgesSinksByFlow => true;

    public void Inspect(SyntaxNode node, SyntaxContext context)
    {
        ExpressionSyntax? sql = null;
        string? sink = null;
        switch (node)
        {
            case ObjectCreationExpressionSyntax o when SyntaxHelpers.CreatedType(o) is { } type && CommandTypes.Contains(type):
                sql = SyntaxHelpers.Arg(o.ArgumentList, 0);
                sink = "new " + type;
                break;
            case AssignmentExpressionSyntax a when SyntaxHelpers.AssignedName(a) == "CommandText":
                sql = a.Right;
                sink = "CommandText";
                break;
            case InvocationExpressionSyntax i:
                var (name, receiver) = SyntaxHelpers.Invoked(i);
                if (name is not null && RawMethods.Contains(name))
                {
                    sql = SyntaxHelpers.Arg(i.ArgumentList, 0);
                    sink = name;
                }
                else if (name is not null && DapperMethods.Contains(name) && receiver is not null
                    && (receiver.Contains("conn", StringComparison.OrdinalIgnoreCase) || receiver.Contains("db", StringComparison.OrdinalIgnoreCase)))
                {
                    sql = SyntaxHelpers.Arg(i.ArgumentList, 0);
                    sink = name;
                }

                break;
        }

        if (sql is null || sink is null)
        {
            return;
        }

        Flow.FlowSink.Report(this, context, node, sink, "SQL injection: use parameters", sql);
    }
}
