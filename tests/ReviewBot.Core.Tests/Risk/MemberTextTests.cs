using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Risk.Analysis;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Tests.Risk;

/// <summary>An unchanged member is skipped: its own code is the same in base and head but for layout.</summary>
public sealed class MemberTextTests
{
    [Theory]
    [InlineData("int M() => 1;", "int M() => 1;", true)]
    [InlineData("int M() => 1;", "int  M()\n    => 1;", true)]
    [InlineData("int M()=>1;", "int M() => 1 ;", true)]
    [InlineData("int M() => 1;", "int M() => 2;", false)]
    [InlineData("int M() => 1;", "int M() => 1; // note", false)]
    [InlineData("int M() => 1; // a  note", "int M() => 1;   // a  note", true)]
    [InlineData("int M() => 1; // a note", "int M() => 1; // a  note", false)]
    [InlineData("void M() => Run(\"rm -rf ./build\");", "void M() => Run(\"rm -rf . /build\");", false)]
    [InlineData("char M() => ' ';", "char M() => '\t';", false)]
    [InlineData("void M() => Log(\"a\");", "void M() => Log(\"a\");", true)]
    [InlineData("void M() => Log(\"a\");", "    void M()\n        => Log(\"a\");", true)]
    [InlineData("void M() { Run(); // x\n Stop(); }", "void M() { Run(); // x Stop();\n }", false)]
    [InlineData("void M()\n{\n#if DEBUG\n    Log(\"a b\");\n#endif\n}", "    void M()\n    {\n#if DEBUG\n        Log(\"a b\");\n#endif\n    }", true)]
    [InlineData("void M()\n{\n#if DEBUG\n    Log(\"a b\");\n#endif\n}", "void M()\n{\n#if DEBUG\n    Log(\"a  b\");\n#endif\n}", false)]
    public void Own_code_is_compared_without_layout(string before, string after, bool same)
        => Assert.Equal(same, Method("class C\n{\n" + before + "\n}\n", Side.Base).SameTextAs(Method("class C\n{\n" + after + "\n}\n", Side.Head)));

    /// <summary>
    /// A block namespace made file-scoped moves every line of code four columns left; a verbatim string's own lines stay
    /// (a space there is part of its value), a raw string's move with its closing quotes (its value stays).
    /// </summary>
    [Theory]
    [InlineData("namespace N\n{\n    class C\n    {\n        string M() => @\"select *\nfrom t\";\n    }\n}\n", "namespace N;\n\nclass C\n{\n    string M() => @\"select *\nfrom t\";\n}\n", true)]
    [InlineData("namespace N\n{\n    class C\n    {\n        string M() => @\"select *\nfrom t\";\n    }\n}\n", "namespace N;\n\nclass C\n{\n    string M() => @\"select *\n    from t\";\n}\n", false)]
    [InlineData("class C\n{\n    string M() => \"\"\"\n        select *\n        from t\n        \"\"\";\n}\n", "class C\n{\nstring M() => \"\"\"\n    select *\n    from t\n    \"\"\";\n}\n", true)]
    [InlineData("class C\n{\n    string M() => \"\"\"\n        select *\n        from t\n        \"\"\";\n}\n", "class C\n{\nstring M() => \"\"\"\n    select *\n      from t\n    \"\"\";\n}\n", false)]
    public void A_re_indented_member_is_unchanged_unless_a_string_s_value_changed(string before, string after, bool same)
    {
        Assert.Equal(same, Method(before, Side.Base).SameTextAs(Method(after, Side.Head)));
        Assert.True(Type(before, Side.Base).SameTextAs(Type(after, Side.Head)));
    }

    [Fact]
    public void A_type_s_own_code_leaves_its_members_out()
    {
        // The type's header and braces, not its members: a member moved or changed inside does not change the type.
        var before = "class C {  void M() { }  int P => 1; }";
        Assert.True(Type(before, Side.Base).SameTextAs(Type("class C {int P => 2; void M() { Run(); }}", Side.Head)));
        Assert.False(Type(before, Side.Base).SameTextAs(Type("class C : I {  void M() { }  int P => 1; }", Side.Head)));
        Assert.False(Type(before, Side.Base).SameTextAs(Type("class C {  void M() { }  int P => 1; } // gone", Side.Head)));
    }

    /// <summary>The size rule counts a member's lines in its source; they are the lines its span covers in the file's line table.</summary>
    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    [InlineData("\u2028")]
    [InlineData("\r\n", "\r", "\n", "\u0085", "\u2029", "\r\n")]
    public void A_span_s_line_count_is_the_lines_it_covers_whatever_the_line_breaks(params string[] breaks)
    {
        string[] lines = ["class C", "{", "    int M()", "    {", "", "        return 1;", "    }", "", "}"];
        var source = string.Concat(lines.Select((line, i) => line + breaks[i % breaks.Length]));
        var member = Indexed(source, Side.Base)[0];
        for (var start = 0; start <= source.Length; start++)
        {
            for (var end = start; end <= source.Length; end++)
            {
                var span = Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(start, end);
                var (first, last) = MemberVersion.Lines(member.Text, span);
                Assert.True(last - first + 1 == member.LineCount(span), $"{span}: {last - first + 1} lines, counted {member.LineCount(span)}");
            }
        }
    }

    private static MemberVersion Method(string source, Side side) => Indexed(source, side).Single(m => m.Kind == MemberKind.Method);

    private static MemberVersion Type(string source, Side side) => Indexed(source, side).Single(m => m.Kind == MemberKind.Type);

    private static List<MemberVersion> Indexed(string source, Side side)
    {
        var tree = CSharpSyntaxTree.ParseText(source, RoslynRiskAnalyzer.ParseOptions);
        return new MemberIndexer("src/C.cs", side, source, tree.GetText(), isTestFile: false, "src/C.cs").Index((CompilationUnitSyntax)tree.GetRoot());
    }
}
