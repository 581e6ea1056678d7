using ReviewBot.Core.Policy;

namespace ReviewBot.Core.Tests.Policy;

public sealed class GlobTests
{
    [Theory]
    [InlineData("*.cs", "a.cs", true)]
    [InlineData("*.cs", "src/a.cs", false)]
    [InlineData("**.cs", "src/deep/a.cs", true)]
    [InlineData("**/*.cs", "a.cs", true)]
    [InlineData("**/*.cs", "src/deep/a.cs", true)]
    [InlineData("src/**", "src/a/b/c.txt", true)]
    [InlineData("src/**", "srcx/a", false)]
    [InlineData("src/**/test/*.cs", "src/test/a.cs", true)]
    [InlineData("src/**/test/*.cs", "src/x/y/test/a.cs", true)]
    [InlineData("src/**/test/*.cs", "src/x/test/sub/a.cs", false)]
    [InlineData(".github/workflows/**", ".github/workflows/ci.yml", true)]
    [InlineData("file?.txt", "file1.txt", true)]
    [InlineData("file?.txt", "file/.txt", false)]
    [InlineData("file?.txt", "file12.txt", false)]
    [InlineData("[abc].md", "b.md", true)]
    [InlineData("[abc].md", "d.md", false)]
    [InlineData("[!abc].md", "d.md", true)]
    [InlineData("[!abc].md", "a.md", false)]
    [InlineData("[a-c]x", "bx", true)]
    [InlineData("[a-c]x", "dx", false)]
    [InlineData("*.{cs,csproj}", "App.csproj", true)]
    [InlineData("*.{cs,csproj}", "App.cs", true)]
    [InlineData("*.{cs,csproj}", "App.json", false)]
    [InlineData("{src,test}/**/*.cs", "test/a/b.cs", true)]
    [InlineData("Docs/*.md", "docs/a.md", false)]
    [InlineData("a\\*b", "a*b", true)]
    [InlineData("a\\*b", "axb", false)]
    [InlineData("release/*", "release/1.2", true)]
    [InlineData("release/*", "release/1.2/hotfix", false)]
    [InlineData("a+b(c).txt", "a+b(c).txt", true)]
    [InlineData("{src/**/,}*.cs", "a.cs", true)]
    [InlineData("{src/**/,}*.cs", "src/x/a.cs", true)]
    [InlineData("{src/**/,}*.cs", "lib/a.cs", false)]
    [InlineData("*.{c{s,sproj},md}", "a.csproj", true)]
    [InlineData("*.{c{s,sproj},md}", "a.md", true)]
    [InlineData("*.{c{s,sproj},md}", "a.c", false)]
    [InlineData("**/bin/**", "bin/x", true)]
    [InlineData("**/bin/**", "a/b/bin/x/y", true)]
    [InlineData("**/bin/**", "a/cabin/x", false)]
    [InlineData("a/**/b/**/c", "a/b/c", true)]
    [InlineData("a/**/b/**/c", "a/x/b/y/z/c", true)]
    [InlineData("[-a]x", "-x", true)]
    [InlineData("[a-]x", "-x", true)]
    [InlineData("[\\]]x", "]x", true)]

    public void Matches_whole_paths(string pattern, string path, bool expected)
    {
        Assert.Equal(expected, Glob.Compile(pattern).IsMatch(path));
    }

    [Fact]
    public void Ignore_case_is_opt_in()
    {
        Assert.False(Glob.Compile("Docs/*").IsMatch("docs/a"));
        Assert.True(Glob.Compile("Docs/*", ignoreCase: true).IsMatch("docs/a"));
        Assert.True(Glob.Compile("[A-C]x", ignoreCase: true).IsMatch("bX"));
        Assert.False(Glob.Compile("[A-C]x").IsMatch("bx"));
    }

    [Theory]
    [InlineData("", "empty glob pattern")]
    [InlineData("src/[abc", "unclosed '['")]
    [InlineData("*.{cs,md", "unclosed '{'")]
    [InlineData("a\\", "lone '\\'")]
    [InlineData("a[b/c]", "'/' inside a character class")]
    [InlineData("[z-a]", "reversed range 'z-a'")]
    [InlineData("{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}", "expands to more than 256 alternatives")]
    public void Bad_patterns_say_what_is_wrong(string pattern, string expected)
    {
        Assert.False(Glob.TryCompile(pattern, false, out var glob, out var error));
        Assert.Null(glob);
        Assert.Contains(expected, error);
        Assert.Throws<FormatException>(() => Glob.Compile(pattern));
    }

    [Theory]
    [InlineData("src/a.cs", true)]
    [InlineData("src/generated/a.cs", false)]
    [InlineData("docs/a.md", false)]
    public void Pattern_sets_apply_exclusions(string path, bool expected)
    {
        var set = PatternSet.Parse("src/**", "!src/generated/**");
        Assert.Equal(expected, set.IsMatch(path));
        Assert.Equal("src/**, !src/generated/**", set.Describe());
    }

    [Fact]
    public void Only_exclusions_match_everything_else()
    {
        var set = PatternSet.Parse("!**/*.md");
        Assert.True(set.IsMatch("src/a.cs"));
        Assert.False(set.IsMatch("docs/a.md"));
    }

    [Fact]
    public void Pathological_patterns_stay_linear()
    {
        var glob = Glob.Compile(string.Concat(Enumerable.Repeat("*a", 30)) + "b");
        Assert.False(glob.IsMatch(new string('a', 5000)));
    }
}
