using ReviewBot.Pipeline.Ports;

namespace ReviewBot.GitHub.Tests;

/// <summary>The merge queue's branch names, as GitHub writes them: <c>gh-readonly-queue/BASE/pr-NUMBER-HEADSHA</c>.</summary>
public sealed class MergeQueueRefTests
{
    private const string Sha = "929f8209d40f77f4abc622a499c93a83babdbe64";

    [Theory]
    [InlineData("refs/heads/gh-readonly-queue/main/pr-104-" + Sha, "refs/heads/main", 104L)]
    [InlineData("refs/heads/gh-readonly-queue/release/1.0/pr-7-" + Sha, "refs/heads/release/1.0", 7L)]
    [InlineData("refs/heads/gh-readonly-queue/main/pr-104-" + Sha, "main", 104L)]
    public void A_queue_branch_names_its_pull_request_and_queued_head(string queueRef, string baseRef, long number)
        => Assert.Equal(new MergeGroupEntry(number, Sha), GitHubMergeGroups.ParseQueueRef(queueRef, baseRef));

    [Theory]
    [InlineData("refs/heads/gh-readonly-queue/main/pr-104-" + Sha, "refs/heads/release")]
    [InlineData("refs/heads/gh-readonly-queue/release/1.0/pr-7-" + Sha, "refs/heads/release")]
    [InlineData("refs/heads/gh-readonly-queue/main-2/pr-104-" + Sha, "refs/heads/main")]
    [InlineData("refs/heads/gh-readonly-queue/main/pr-0-" + Sha, "refs/heads/main")]
    [InlineData("refs/heads/gh-readonly-queue/main/pr-104-929f8209", "refs/heads/main")]
    [InlineData("refs/heads/gh-readonly-queue/main/pr-104-" + Sha + "-x", "refs/heads/main")]
    [InlineData("refs/heads/feature/pr-104-" + Sha, "refs/heads/main")]
    [InlineData("refs/heads/gh-readonly-queue/main/pr-104-" + Sha, "")]
    public void Anything_else_is_no_queue_branch_of_the_base(string queueRef, string baseRef)
        => Assert.Null(GitHubMergeGroups.ParseQueueRef(queueRef, baseRef));
}
