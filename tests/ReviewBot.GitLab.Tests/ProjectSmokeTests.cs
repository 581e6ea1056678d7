namespace ReviewBot.GitLab.Tests;

public sealed class ProjectSmokeTests
{
    [Fact]
    public void Fixtures_are_found_from_the_test_output_directory()
    {
        Assert.True(Directory.Exists(ReviewBot.TestSupport.TestPaths.Fixtures));
    }
}
