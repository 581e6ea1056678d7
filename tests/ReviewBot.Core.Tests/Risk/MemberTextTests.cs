using Microsoft.CodeAnalysis.Text;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Tests.Risk;

/// <summary>An unchanged member is skipped: its own text is the same in base and head but for whitespace.</summary>
public sealed class MemberTextTests
{
    [Theory]
    [InlineData("int M() => 1;", "int M() => 1;", true)]
    [InlineData("int M() => 1;", "int  M()\n    => 1;", true)]
    [InlineData("int M()=>1;", "int M() => 1 ;", true)]
    [InlineData("int M() => 1;", "int M() => 2;", false)]
    [InlineData("int M() => 1;", "int M() => 1;;", false)]
    [InlineData("int M() => 1;", "int M() => 1; // note", false)]
    [InlineData("", "  \n", true)]
    [InlineData("void M() => Run(\"rm -rf ./build\");", "void M() => Run(\"rm -rf . /build\");", false)]
    [InlineData("char M() => ' ';", "char M() => '\t';", false)]
    [InlineData("void M() => Log(\"a\");", "void M() => Log(\"a\");", true)]
    public void Own_text_is_compared_without_whitespace(string before, string after, bool same)
    {
        Assert.Equal(same, Member(Side.Base, before, [new TextSpan(0, before.Length)]).SameTextAs(Member(Side.Head, after, [new TextSpan(0, after.Length)])));
    }

    [Fact]
    public void A_type_s_own_text_is_its_pieces_between_members_read_as_one()
    {
        // "class C { | }" around a member, in base; the same pieces split elsewhere (a member moved), in head.
        var before = "class C {  void M() { }  }";
        var after = "class C {void M() { }}";
        var b = Member(Side.Base, before, [TextSpan.FromBounds(0, 11), TextSpan.FromBounds(24, 26)]);
        var h = Member(Side.Head, after, [TextSpan.FromBounds(0, 9), TextSpan.FromBounds(21, 22)]);
        Assert.True(b.SameTextAs(h));
        var renamed = Member(Side.Head, "class D {void M() { }}", [TextSpan.FromBounds(0, 9), TextSpan.FromBounds(21, 22)]);
        Assert.False(b.SameTextAs(renamed));
    }

    private static MemberVersion Member(Side side, string source, TextSpan[] own) => new()
    {
        Key = "M:C.M()",
        LooseKey = "M:C.M",
        Kind = MemberKind.Method,
        DisplayName = "C.M()",
        Path = "src/C.cs",
        Side = side,
        Text = SourceText.From(source),
        Source = source,
        OwnText = own,
    };
}
