namespace ReviewBot.TestSupport;

/// <summary>Where shared fixtures live: tests/fixtures (copied from ../shared/fixtures so the suite stands alone).</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Fixtures => Path.Combine(RepoRoot, "tests", "fixtures");

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ReviewBot.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("ReviewBot.sln not found above " + AppContext.BaseDirectory);
    }
}
