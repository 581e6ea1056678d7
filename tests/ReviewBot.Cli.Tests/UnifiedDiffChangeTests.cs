using System.Text;
using ReviewBot.Cli.Mcp;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Cli.Tests;

/// <summary>plan_change's diff mode: a unified diff applied to the given base contents, both sides as a snapshot reads them.</summary>
public sealed class UnifiedDiffChangeTests
{
    [Fact]
    public async Task Modified_added_deleted_and_renamed_files_get_both_sides()
    {
        const string diff = """
            diff --git a/src/A.cs b/src/A.cs
            --- a/src/A.cs
            +++ b/src/A.cs
            @@ -1,3 +1,3 @@
             one
            -two
            +TWO
             three
            @@ -5,2 +5,3 @@
             five
             six
            +seven
            diff --git a/src/New.cs b/src/New.cs
            new file mode 100644
            --- /dev/null
            +++ b/src/New.cs
            @@ -0,0 +1,2 @@
            +class New
            +{ }
            diff --git a/src/Old.cs b/src/Old.cs
            deleted file mode 100644
            --- a/src/Old.cs
            +++ /dev/null
            @@ -1 +0,0 @@
            -class Old { }
            diff --git a/src/From.cs b/src/To.cs
            --- a/src/From.cs
            +++ b/src/To.cs
            @@ -1 +1 @@
            -class From { }
            +class To { }
            """;
        var change = UnifiedDiffChange.Parse(diff, new Dictionary<string, string>
        {
            ["src/A.cs"] = "one\ntwo\nthree\nfour\nfive\nsix\n",
            ["src/Old.cs"] = "class Old { }\n",
            ["src/From.cs"] = "class From { }\n",
        });

        Assert.Equal(
            [("src/A.cs", FileStatus.Modified, 2, 1), ("src/New.cs", FileStatus.Added, 2, 0), ("src/Old.cs", FileStatus.Removed, 0, 1), ("src/To.cs", FileStatus.Renamed, 1, 1)],
            change.Files.Select(f => (f.Path, f.Status, f.Additions, f.Deletions)));
        Assert.Equal("src/From.cs", change.Files[3].PreviousPath);

        var contents = await change.Contents.GetAsync(
            [new("src/A.cs", Side.Head), new("src/New.cs", Side.Head), new("src/Old.cs", Side.Head), new("src/Old.cs", Side.Base), new("src/To.cs", Side.Head)]);
        var text = contents.ToDictionary(c => (c.Path, c.Side), c => Encoding.UTF8.GetString(c.Bytes.Span));
        Assert.Equal("one\nTWO\nthree\nfour\nfive\nsix\nseven\n", text[("src/A.cs", Side.Head)]);
        Assert.Equal("class New\n{ }\n", text[("src/New.cs", Side.Head)]);
        Assert.False(text.ContainsKey(("src/Old.cs", Side.Head)));
        Assert.Equal("class Old { }\n", text[("src/Old.cs", Side.Base)]);
        Assert.Equal("class To { }\n", text[("src/To.cs", Side.Head)]);
    }

    [Fact]
    public async Task A_rules_file_among_the_base_files_is_found_at_the_base_and_the_head_reads_only_what_the_diff_touches()
    {
        var change = UnifiedDiffChange.Parse("--- a/x.cs\n+++ b/x.cs\n@@ -1 +1 @@\n-a\n+b\n", new Dictionary<string, string>
        {
            ["x.cs"] = "a\n",
            [".github/reviewbot.yml"] = "version: 1\n",
        });

        var atBase = await change.BothSides.ReadAsync([".github/reviewbot.yml"], UnifiedDiffChange.BaseRevision);
        var atHead = await change.BothSides.ReadAsync(["x.cs", ".github/reviewbot.yml"], UnifiedDiffChange.HeadRevision);

        Assert.Equal("version: 1\n", atBase?.Text);
        Assert.Equal(("x.cs", "b\n"), (atHead?.Path, atHead?.Text));
    }

    [Theory]
    [InlineData("no diff here", "no file sections found")]
    [InlineData("--- a/missing.cs\n+++ b/missing.cs\n@@ -1 +1 @@\n-a\n+b\n", "the base contents of 'missing.cs' are not given")]
    [InlineData("--- a/x.cs\n+++ b/x.cs\n@@ -9,1 +9,1 @@\n-a\n+b\n", "outside the given base contents")]
    [InlineData("--- a/x.cs\n+++ b/x.cs\n@@ -one +1 @@\n-a\n+b\n", "malformed hunk header")]
    [InlineData("--- a/x.cs\n+++ b/x.cs\n@@ -1 +1 @@\n-z\n+b\n", "does not apply to the given base contents at line 1")]
    public void A_diff_that_cannot_be_applied_is_an_argument_error_that_says_why(string diff, string message)
    {
        var error = Assert.Throws<UsageException>(() => UnifiedDiffChange.Parse(diff, new Dictionary<string, string> { ["x.cs"] = "a\n" }));

        Assert.Contains(message, error.Message);
    }
}
