using System.Text.Json;
using ReviewBot.Cli;
using ReviewBot.TestSupport;

namespace ReviewBot.Cli.Tests;

/// <summary><c>reviewbot classify</c> end to end on repositories the tests create.</summary>
public sealed class ClassifyCommandTests
{
    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = CliRunner.Run(CliApp.BuildRoot(), args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static GitRepoBuilder TwoBranches()
    {
        var repo = GitRepoBuilder.Init();
        repo.Write("README.md", "# demo\n");
        repo.Commit("Initial", new GitIdentity("Alice", "alice@example.com"));
        repo.CreateBranch("feature", checkout: true);
        repo.Write("a.txt", "a\n");
        repo.Commit("Add a", new GitIdentity("Alice", "alice@example.com"));
        return repo;
    }

    [Fact]
    public void Not_a_repository_is_exit_2_with_one_clear_line()
    {
        var dir = Directory.CreateTempSubdirectory("reviewbot-cli-not-repo-");
        try
        {
            var (exit, stdout, stderr) = Run("classify", "--repo", dir.FullName, "--range", "main..feature");
            Assert.Equal(2, exit);
            Assert.Equal("", stdout);
            Assert.Equal($"reviewbot: not a git repository: {dir.FullName}\n", stderr.ReplaceLineEndings("\n"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Unknown_ref_is_exit_2_without_a_stack_trace()
    {
        using var repo = TwoBranches();
        var (exit, stdout, stderr) = Run("classify", "--repo", repo.Path, "--range", "main..no-such-branch");
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith("reviewbot: unknown revision 'no-such-branch'", stderr);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain("   at ", stderr);
    }

    [Theory]
    [InlineData("main")]
    [InlineData("..")]
    [InlineData("a..b..c")]
    public void Bad_range_is_exit_2(string range)
    {
        using var repo = TwoBranches();
        var (exit, _, stderr) = Run("classify", "--repo", repo.Path, "--range", range);
        Assert.Equal(2, exit);
        Assert.StartsWith($"reviewbot: invalid range '{range}'", stderr);
    }

    [Fact]
    public void Missing_range_and_bad_format_are_usage_errors()
    {
        using var repo = TwoBranches();
        Assert.Equal(2, Run("classify", "--repo", repo.Path).Exit);
        var (exit, _, stderr) = Run("classify", "--repo", repo.Path, "--range", "main..feature", "--format", "xml");
        Assert.Equal(2, exit);
        Assert.Contains("xml", stderr);
    }
}
