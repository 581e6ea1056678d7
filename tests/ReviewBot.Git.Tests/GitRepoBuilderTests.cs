using System.Text;
using ReviewBot.TestSupport;

namespace ReviewBot.Git.Tests;

/// <summary>Pins the test repository builder other test projects rely on.</summary>
public sealed class GitRepoBuilderTests
{
    [Fact]
    public void Commits_carry_the_given_identities_dates_and_verbatim_message()
    {
        using var repo = GitRepoBuilder.Init();
        repo.Write("a.txt", "one\n");
        var message = "Add a\n\nBody line.\n\nCo-authored-by: Claude <noreply@anthropic.com>\n";
        var sha = repo.Commit(message, new CommitOptions
        {
            Author = new GitIdentity("Alice", "alice@example.com"),
            Committer = new GitIdentity("Bob", "bob@example.com"),
        });

        Assert.Matches("^[0-9a-f]{40}$", sha);
        Assert.Equal("main", repo.CurrentBranch);
        Assert.Equal("Alice <alice@example.com>|Bob <bob@example.com>|2026-01-05T09:00:00+00:00",
            repo.Git("log", "-1", "--format=%an <%ae>|%cn <%ce>|%aI").Trim());
        Assert.Equal(message, repo.Git("log", "-1", "--format=%B").TrimEnd('\n') + "\n");
    }

    [Fact]
    public void Same_history_gives_the_same_shas_every_time()
    {
        static string Build()
        {
            using var repo = GitRepoBuilder.Init();
            repo.Write("a.txt", "x\n");
            repo.Commit("first");
            repo.WriteBytes("b.bin", new byte[] { 0, 1, 2, 255 });
            return repo.Commit("second");
        }

        Assert.Equal(Build(), Build());
    }

    [Fact]
    public void Branches_merges_tags_and_renames_work()
    {
        using var repo = GitRepoBuilder.Init();
        repo.Write("a.txt", "one\n");
        var first = repo.Commit("first");
        repo.CreateBranch("feature", checkout: true);
        repo.Rename("a.txt", "dir/b.txt");
        var feature = repo.Commit("rename");
        repo.Checkout("main");
        repo.Write("c.txt", "c\n");
        repo.Commit("c on main");
        var merge = repo.Merge("feature", "Merge feature");
        repo.Tag("v1", message: "release 1");

        Assert.Equal($"{repo.RevParse("HEAD~1")} {feature}", repo.Git("log", "-1", "--format=%P", merge).Trim());
        Assert.Equal(merge, repo.RevParse("v1"));
        Assert.Equal(first, repo.RevParse("feature~1"));
        Assert.True(repo.Exists("dir/b.txt"));
    }

    [Fact]
    public void Bare_clone_and_raw_paths_and_submodules()
    {
        using var lib = GitRepoBuilder.Init();
        lib.Write("lib.txt", "lib\n");
        var libSha = lib.Commit("lib");

        using var repo = GitRepoBuilder.Init();
        repo.Write("a.txt", "a\n");
        repo.Commit("a");
        repo.AddSubmodule(lib, "vendor/lib");
        repo.Commit("add submodule");
        repo.StageRawPath([0x6c, 0x61, 0x74, 0x69, 0x6e, 0xe9, 0x2e, 0x74, 0x78, 0x74], Encoding.Latin1.GetBytes("caf\u00e9\n"));
        var head = repo.Commit("latin-1 name", new CommitOptions { StageAll = false });

        var tree = repo.GitBytes("ls-tree", "-z", "--full-tree", "-r", "HEAD");
        Assert.Contains($"160000 commit {libSha}\tvendor/lib", Encoding.Latin1.GetString(tree));
        Assert.Contains("latin\u00e9.txt", Encoding.Latin1.GetString(tree));

        using var bare = GitRepoBuilder.Init(bare: true);
        var clone = repo.CloneBare();
        Assert.True(clone.IsBare);
        Assert.Equal(head, clone.RevParse("main"));
        Assert.Throws<InvalidOperationException>(() => clone.Write("x", "y"));
    }
}
