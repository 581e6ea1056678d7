using System.Text;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Risk.Flow;

namespace ReviewBot.Core.Tests.Risk;

/// <summary>The flow pass on its own: what reaches a sink, and how a finding tells it.</summary>
public sealed class MemberFlowTests
{
    private static FlowValue? ValueOfLastArgument(string body, string members = "")
    {
        var tree = CSharpSyntaxTree.ParseText("class C\n{\n" + members + "    void M(string p)\n    {\n" + body + "\n    }\n}\n");
        var sink = tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>().Last(i => i.Expression.ToString() == "Sink");
        return MemberFlow.Analyze(MemberFlow.OwnerOf(sink)).ValueAt(sink.ArgumentList.Arguments[0].Expression);
    }

    [Theory]
    [InlineData("var a = \"x\"; var b = a + \"y\"; Sink(b);", Origin.Constant)]
    [InlineData("var a = Console.ReadLine(); var b = $\"cmd {a}\"; Sink(b);", Origin.Tainted)]
    [InlineData("var a = Console.ReadLine(); var n = int.Parse(a); Sink(n.ToString());", Origin.Sanitized)]
    [InlineData("var a = Console.ReadLine(); int.Parse(a); Sink(a);", Origin.Sanitized)]
    [InlineData("var a = Console.ReadLine(); Sink(HttpUtility.HtmlEncode(a));", Origin.Sanitized)]
    [InlineData("Sink(p);", Origin.Unknown)]
    [InlineData("var sb = new StringBuilder(); sb.Append(Environment.GetEnvironmentVariable(\"X\")); Sink(sb.ToString());", Origin.Tainted)]
    [InlineData("var a = \"\"; if (Off) { a = Console.ReadLine(); } Sink(a);", Origin.Constant)]
    [InlineData("var a = \"\"; if (Flag()) { a = Console.ReadLine(); } Sink(a);", Origin.Tainted)]
    [InlineData("var a = Console.ReadLine(); if (!Allowed.Contains(a)) { return; } Sink(a);", Origin.Sanitized)]
    [InlineData("var a = Console.ReadLine(); if (a == \"yes\") { Sink(a); }", Origin.Constant)]
    [InlineData("string a = null; while (true) { a = Console.ReadLine(); break; } Sink(a);", Origin.Tainted)]
    [InlineData("var a = \"\"; switch (6) { case 6: a = \"x\"; break; default: a = Console.ReadLine(); break; } Sink(a);", Origin.Constant)]
    [InlineData("var a = \"\"; try { a = Console.ReadLine(); } catch (IOException e) { a = \"none\"; } Sink(a);", Origin.Tainted)]
    [InlineData("sessions.TryGetValue(Console.ReadLine(), out var session); Sink(session.Id);", Origin.Unknown)]
    [InlineData("var id = JsonNode.Parse(Console.ReadLine())![\"id\"]!.GetValue<long>(); Sink(\"/runs/\" + id);", Origin.Sanitized)]
    [InlineData("var d = new Dictionary<string, string>(); d.TryGetValue(Console.ReadLine(), out var v); Sink(v);", Origin.Unknown)]
    public void Values_reaching_a_sink(string body, Origin expected)
    {
        var value = ValueOfLastArgument(body, "    const bool Off = false;\n    bool Flag() => DateTime.Now.Second > 3;\n");
        Assert.NotNull(value);
        Assert.Equal(expected, value.Origin);
    }

    [Fact]
    public void A_sink_in_a_branch_that_cannot_run_has_no_value()
        => Assert.Null(ValueOfLastArgument("if (5 == 6) { Sink(Console.ReadLine()); }"));

    [Fact]
    public void A_finding_names_the_source_the_lines_it_passed_and_the_sink()
    {
        var value = ValueOfLastArgument("var a = Console.ReadLine();\nvar b = \"ls \" + a;\nvar c = b.Trim();\nSink(c);");
        Assert.NotNull(value);
        Assert.Equal("Console.ReadLine()", value.From);
        Assert.Equal(5, value.FromLine);
        Assert.Equal([6, 7], value.Lines);
    }

    [Fact]
    public void A_very_long_concatenation_is_followed_without_recursion()
    {
        var chain = new StringBuilder("var a = Console.ReadLine(); Sink(\"x\"");
        for (var i = 0; i < 20_000; i++)
        {
            chain.Append(" + \"y\"");
        }

        chain.Append(" + a);");
        Assert.Equal(Origin.Tainted, ValueOfLastArgument(chain.ToString())!.Origin);
    }

    [Fact]
    public void A_member_nested_too_deep_is_of_unknown_origin_not_constant()
    {
        var body = new StringBuilder("var a = \"x\";\n");
        for (var i = 0; i < MemberFlow.MaxDepth + 5; i++)
        {
            body.Append("{\n");
        }

        body.Append("Sink(a);\n");
        for (var i = 0; i < MemberFlow.MaxDepth + 5; i++)
        {
            body.Append("}\n");
        }

        var value = ValueOfLastArgument(body.ToString());
        Assert.Equal(Origin.Unknown, value!.Origin);
        Assert.Contains("too deep", value.From, StringComparison.Ordinal);
    }

    private const string Helpers = """
            string ReadName() { var line = Console.ReadLine(); return line.Trim(); }
            string Fixed() { string data; data = "users"; return data; }
            string Encoded(string s) => HttpUtility.HtmlEncode(s);
            string Same(string s) => s;
            virtual string Overridable() => Console.ReadLine();
            string Reader() => ReadName();
            string Recursive(int n) => n > 0 ? Recursive(n - 1) : Console.ReadLine();
            string Overloaded() => "x";
            string Overloaded(int n) => Console.ReadLine();
            string GetValue() => "not a source";
            static class Nested { }

        """;

    [Theory]
    [InlineData("Sink(ReadName());", Origin.Tainted, "Console.ReadLine() in ReadName()")]
    [InlineData("Sink(this.ReadName());", Origin.Tainted, "Console.ReadLine() in ReadName()")]
    [InlineData("Sink(C.ReadName());", Origin.Tainted, "Console.ReadLine() in ReadName()")]
    [InlineData("var a = Fixed(); Sink(a);", Origin.Constant, "the literal \"users\" in Fixed()")]
    [InlineData("Sink(Encoded(Console.ReadLine()));", Origin.Sanitized, "HttpUtility.HtmlEncode(...) in Encoded()")]
    [InlineData("Sink(Same(Console.ReadLine()));", Origin.Tainted, "Console.ReadLine()")]
    [InlineData("Sink(Same(p));", Origin.Unknown, "parameter 'p'")]
    [InlineData("Sink(Overridable());", Origin.Unknown, "the result of Overridable(...)")]
    [InlineData("Sink(Reader());", Origin.Unknown, "the result of Reader(...)")]
    [InlineData("Sink(Recursive(3));", Origin.Tainted, "Console.ReadLine() in Recursive()")]
    [InlineData("Sink(Overloaded());", Origin.Tainted, "Console.ReadLine() in Overloaded()")]
    [InlineData("Sink(GetValue());", Origin.Constant, "the literal \"not a source\" in GetValue()")]
    [InlineData("Sink(other.ReadName());", Origin.Unknown, "'other'")]
    public void A_helper_of_the_file_is_judged_by_what_it_returns(string body, Origin expected, string from)
    {
        var value = ValueOfLastArgument(body, Helpers);
        Assert.NotNull(value);
        Assert.Equal((expected, from), (value.Origin, value.From));
    }

    [Fact]
    public void A_value_returned_by_a_helper_names_the_line_of_its_source_and_of_the_call()
    {
        var value = ValueOfLastArgument("var a = ReadName();\nSink(a);", Helpers);
        Assert.NotNull(value);
        Assert.Equal(3, value.FromLine); // the ReadLine in ReadName
        Assert.Equal([Helpers.Split('\n').Length + 4], value.Lines); // the call, in M's body
    }
}
