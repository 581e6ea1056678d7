using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Tests.Snapshot;

public sealed class PatchIdTests
{
    private static PatchFile File(string patch, string path = "src/A.cs") => new(path, null, "modified", patch, null);

    [Fact]
    public void A_rebase_that_moves_the_hunks_keeps_the_patch_id()
    {
        var before = PatchId.Of([File("@@ -10,3 +10,3 @@ class A\n context\n-old\n+new"), File("@@ -1 +1 @@\n-a\n+b", "b.txt")]);
        var afterRebase = PatchId.Of([File("@@ -1 +1 @@\n-a\n+b", "b.txt"), File("@@ -14,3 +14,3 @@ class A\n context\n-old\n+new  ")]);

        Assert.NotNull(before);
        Assert.Equal(before, afterRebase);
    }

    [Fact]
    public void A_changed_line_or_file_changes_the_patch_id()
    {
        var before = PatchId.Of([File("@@ -10,3 +10,3 @@\n context\n-old\n+new")]);

        Assert.NotEqual(before, PatchId.Of([File("@@ -10,3 +10,3 @@\n context\n-old\n+newer")]));
        Assert.NotEqual(before, PatchId.Of([File("@@ -10,3 +10,3 @@\n context\n-old\n+new", "src/B.cs")]));
        Assert.NotEqual(before, PatchId.Of([File("@@ -10,3 +10,3 @@\n context\n-old\n+new"), File("@@ -1 +1 @@\n-a\n+b", "b.txt")]));
    }

    [Fact]
    public void A_file_without_patch_text_counts_by_blob_and_without_either_the_diff_cannot_be_told()
    {
        Assert.Equal(PatchId.Of([new PatchFile("logo.png", null, "added", null, "abc")]), PatchId.Of([new PatchFile("logo.png", null, "added", null, "abc")]));
        Assert.NotEqual(PatchId.Of([new PatchFile("logo.png", null, "added", null, "abc")]), PatchId.Of([new PatchFile("logo.png", null, "added", null, "abd")]));
        Assert.Null(PatchId.Of([new PatchFile("huge.sql", null, "modified", null, null)]));
    }
}
