using Microsoft.CodeAnalysis.CSharp;
using ReviewBot.Core.Risk;

namespace ReviewBot.Core.Tests.Risk;

/// <summary>
/// <see cref="SyntaxHelpers.Normalize"/> (the key and text of every fact) is a node's tokens back to back, whatever
/// the formatting: its shortcuts over the node's own text must give exactly what joining the tokens gives.
/// </summary>
public sealed class NormalizeTests
{
    public static TheoryData<string, string> Samples() => new()
    {
        { "spaces_tabs_newlines", "class C { void M(int a, int b) {\n\tvar x = Call( a ,\r\n b ) + a * b;\n\tAssert.Equal(1, x);\n} }" },
        { "string_with_spaces", "class C { void M() { Log(\"a b  c\", 'x', ' '); var s = @\"verbatim \"\" text\"; } }" },
        { "interpolated_and_raw", "class C { void M(int n) { var s = $\"n = { n }\"; var d = $\"{n , 8 :yyyy MM dd}{n,-3: 0.0 }\"; var r = \"\"\"\n    raw  text\n    \"\"\"; var i = $$\"\"\"\n    a {{n :x2 }} b\n    \"\"\"; } }" },
        { "comments", "class C { void M() { Call(1, /* one */ 2); Call(3, // three\n 4); x = a / b; } }" },
        { "odd_whitespace", "class C { void M() { Call(1,\u00A02);\fCall(3,\v4); Call(5,\u20036); } }" },
        { "non_ascii_names", "class C { void M() { var \u00E9t\u00E9 = Call( 1 ); var \u4E2D = \u00E9t\u00E9 + 1; } }" },
        { "generics_and_lambdas", "class C { void M() { var f = new Dictionary< string , List<int> >(); Run(x => x . Length > 2 && x != null); } }" },
        { "char_literals", "class C { void M() { Split(' ', '\\t', '\\''); } }" },
        { "escaped_quotes", "class C { void M() { Assert.Equal( \"a \\\" b \\\" c\" , x ); } }" },
        { "escaped_backslash", "class C { void M() { Log( \"c:\\\\ d\\\\\" , '\\\\' , \" e \" ); } }" },
        { "quote_in_char_and_apostrophe_in_string", "class C { void M() { Get( '\"' , \"it's  x\" ); } }" },
        { "slashes_in_a_string", "class C { void M() { Get( \"http://x / y\" , 1 ); } }" },
        { "utf8_and_empty_strings", "class C { void M() { Log( \"x  y\"u8 , \"\" + \" \" ); } }" },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Normalize_is_the_tokens_back_to_back(string probe, string code)
    {
        Assert.False(string.IsNullOrEmpty(probe));
        var root = CSharpSyntaxTree.ParseText(code, RoslynRiskAnalyzer.ParseOptions).GetRoot();
        var compared = 0;
        foreach (var node in root.DescendantNodesAndSelf().Where(n => n.Span.Length <= 240))
        {
            Assert.Equal(string.Concat(node.DescendantTokens().Select(t => t.Text)), SyntaxHelpers.Normalize(node));
            compared++;
        }

        Assert.True(compared > 10, $"only {compared} nodes compared");
    }

    [Fact]
    public void A_long_node_is_cut_and_marked_with_its_length()
    {
        var call = "Call(" + string.Join(", ", Enumerable.Range(0, 100)) + ")";
        var node = CSharpSyntaxTree.ParseText("class C { void M() { " + call + "; } }", RoslynRiskAnalyzer.ParseOptions).GetRoot()
            .DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax>().Single();
        var joined = string.Concat(node.DescendantTokens().Select(t => t.Text));
        Assert.Equal(joined[..240] + "…" + node.Span.Length, SyntaxHelpers.Normalize(node));
    }
}
