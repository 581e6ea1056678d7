using ReviewBot.Core.Snapshot;
using ReviewBot.GitLab.Api;

namespace ReviewBot.GitLab.Tests;

public sealed class DiffStatsTests
{
    [Fact]
    public void Counts_added_and_removed_lines_of_hunks_only()
    {
        const string diff = "--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n-b\n+++c\n\\ No newline at end of file\n+d\n";

        Assert.Equal((2, 1), DiffStats.Count(diff));
    }

    [Theory]
    [InlineData(true, false, false, "0", "100644", FileStatus.Added)]
    [InlineData(false, true, false, "100644", "0", FileStatus.Removed)]
    [InlineData(false, false, true, "100644", "100644", FileStatus.Renamed)]
    [InlineData(false, false, false, "100644", "100755", FileStatus.Modified)]
    [InlineData(false, false, false, "100644", "120000", FileStatus.TypeChanged)]
    public void Status_comes_from_flags_and_modes(bool added, bool deleted, bool renamed, string aMode, string bMode, FileStatus expected)
    {
        var file = DiffStats.ToChangedFile(new GlDiff { OldPath = "a", NewPath = "b", NewFile = added, DeletedFile = deleted, RenamedFile = renamed, AMode = aMode, BMode = bMode, Diff = "@@ -1 +1 @@\n-x\n+y\n" });

        Assert.Equal(expected, file.Status);
        Assert.Equal(expected == FileStatus.Removed ? "a" : "b", file.Path);
        Assert.Equal(expected == FileStatus.Renamed ? "a" : null, file.PreviousPath);
    }

    [Fact]
    public void Binary_too_large_and_submodule_entries_are_marked()
    {
        var binary = DiffStats.ToChangedFile(new GlDiff { NewPath = "logo.png", OldPath = "logo.png", Diff = "Binary files a/logo.png and b/logo.png differ\n" });
        var large = DiffStats.ToChangedFile(new GlDiff { NewPath = "big.cs", OldPath = "big.cs", Diff = "", TooLarge = true });
        var submodule = DiffStats.ToChangedFile(new GlDiff { NewPath = "vendor/lib", OldPath = "vendor/lib", AMode = "160000", BMode = "160000", Diff = "@@ -1 +1 @@\n-Subproject commit a\n+Subproject commit b\n" });

        Assert.True(binary.IsBinary);
        Assert.Null(binary.Patch);
        Assert.Equal((0, 0, null), (large.Additions, large.Deletions, large.Patch));
        Assert.True(submodule.IsSubmodule);
    }
}
