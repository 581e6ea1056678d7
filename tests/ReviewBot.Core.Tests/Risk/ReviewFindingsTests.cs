using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Tests.Risk;

/// <summary>
/// Samples from a review of the guided walk, unchanged-member skipping and const-aware constant text: each pins a
/// finding the analyzer must (or must not) give.
/// </summary>
public sealed class ReviewFindingsTests
{
    /// <summary>A const in another class does not make a foreach variable of the same name constant.</summary>
    [Fact]
    public async Task A_foreach_variable_named_like_a_const_elsewhere_is_not_constant_sql()
    {
        var head = """
            using System.Data.SqlClient;

            public static class Filters
            {
                public const string filter = "1 = 1";
            }

            public sealed class OrderRepository
            {
                public void Find(SqlConnection conn, System.Collections.Generic.IEnumerable<string> filters)
                {
                    foreach (var filter in filters)
                    {
                        using var cmd = conn.CreateCommand();
                        cmd.CommandText = "SELECT * FROM Orders WHERE " + filter;
                    }
                }
            }
            """;
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/OrderRepository.cs", null, head));
        Assert.Contains(report.Findings, f => f.RuleId == "RB3001" && f.StartLine == 15);
    }

    /// <summary>A local of the same name as a const local of another method is run-time text.</summary>
    [Fact]
    public async Task A_local_named_like_a_const_local_of_another_method_is_not_a_constant_type_name()
    {
        var head = """
            public sealed class Plugins
            {
                public object Default()
                {
                    const string typeName = "Acme.Plugins.Null";
                    return System.Type.GetType(typeName);
                }

                public object Load(System.Collections.Generic.IDictionary<string, string> query)
                {
                    var typeName = query["type"];
                    return System.Type.GetType(typeName);
                }
            }
            """;
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/Plugins.cs", null, head));
        Assert.Contains(report.Findings, f => f.RuleId == "RB3005" && f.StartLine == 12);
        Assert.DoesNotContain(report.Findings, f => f.RuleId == "RB3005" && f.StartLine == 6);
    }

    /// <summary>An out variable named like a const field of a nested class: a shell command with run-time arguments is critical.</summary>
    [Fact]
    public async Task An_out_variable_named_like_a_const_of_a_nested_class_is_not_constant_process_arguments()
    {
        var head = """
            using System.Diagnostics;

            public sealed class Runner
            {
                private static class Defaults
                {
                    public const string command = "ls";
                }

                public void Run(System.Collections.Generic.IDictionary<string, string> query)
                {
                    if (query.TryGetValue("cmd", out var command))
                    {
                        Process.Start("sh", "-c " + command);
                    }
                }
            }
            """;
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/Runner.cs", null, head));
        Assert.Contains(report.Findings, f => f.RuleId == "RB3002" && f.StartLine == 14 && f.Severity == Severity.High
            && f.Message.Contains("unknown origin", StringComparison.Ordinal));
    }

    /// <summary>Names that really are const stay constant text: a const field of the type, a const local in scope, a nested class's const.</summary>
    [Fact]
    public async Task Consts_in_scope_stay_constant_text()
    {
        var head = """
            using System.Data.SqlClient;

            public sealed class OrderRepository
            {
                private const string Select = "SELECT * FROM Orders";

                private static class Queries
                {
                    public const string ById = "SELECT * FROM Orders WHERE Id = @id";
                }

                public void Find(SqlConnection conn)
                {
                    const string order = " ORDER BY Id";
                    using var cmd = new SqlCommand(Select + " WHERE Id = @id", conn);
                    cmd.CommandText = Select + order;
                    cmd.CommandText = Queries.ById + " AND 1 = 1";
                    cmd.CommandText = OrderRepository.Select + order;
                }
            }
            """;
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/OrderRepository.cs", null, head));
        Assert.DoesNotContain(report.Findings, f => f.RuleId == "RB3001");
    }

    /// <summary>
    /// Joining a line to the '//' comment before it comments the code out; splitting it off brings code in. The
    /// member's text without whitespace is the same, so the member was skipped (pre-existing: the old hash ignored
    /// line breaks too).
    /// </summary>
    [Fact]
    public async Task Code_moved_out_of_a_line_comment_by_a_line_break_is_walked()
    {
        var @base = """
            public sealed class Runner
            {
                public void Run(string command)
                {
                    // was: System.Diagnostics.Process.Start("sh", "-c " + command);
                }
            }
            """;
        var head = """
            public sealed class Runner
            {
                public void Run(string command)
                {
                    // was:
                    System.Diagnostics.Process.Start("sh", "-c " + command);
                }
            }
            """;
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/Runner.cs", @base, head));
        Assert.Contains(report.Findings, f => f.RuleId == "RB3002" && f.StartLine == 6);
    }

    [Fact]
    public async Task A_lock_commented_out_by_joining_its_line_to_a_comment_is_reported_removed()
    {
        var @base = """
            public sealed class Counter
            {
                private readonly object gate = new();
                private int count;

                public void Add()
                {
                    // one writer at a time
                    lock (gate) { count++; }
                }
            }
            """;
        var head = """
            public sealed class Counter
            {
                private readonly object gate = new();
                private int count;

                public void Add()
                {
                    // one writer at a time lock (gate) { count++; }
                }
            }
            """;
        var report = await RiskTestKit.AnalyzeAsync(new TestFile("src/Counter.cs", @base, head));
        Assert.Contains(report.Findings, f => f.RuleId == "RB4005" && f.Side == Side.Base && f.StartLine == 9);
    }
}
