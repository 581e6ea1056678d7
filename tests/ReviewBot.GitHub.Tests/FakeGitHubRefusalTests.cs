using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ReviewBot.GitHub.Tests.Support;

namespace ReviewBot.GitHub.Tests;

/// <summary>
/// The fake GitHub refuses what GitHub refuses (422 for check runs and statuses GitHub's REST description does not allow,
/// for a review requested from the author; 404 for unknown pull requests, check runs and comments), so that a product
/// relying on the fake's leniency fails here first.
/// </summary>
public sealed class FakeGitHubRefusalTests : IAsyncLifetime
{
    private const string Head = "4a1f0000000000000000000000000000000000aa";
    private const string Repo = "repos/Codertocat/Hello-World";
    private FakeGitHub _github = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _github = await FakeGitHub.StartAsync();
        _github.PullRequests[2] = new FakePullRequest { Number = 2, Author = "octocat", HeadSha = Head, BaseSha = "b" + Head[1..] };
        _http = new HttpClient { BaseAddress = _github.Address };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _github.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, object body)
    {
        using var response = await _http.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) });
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static TheoryData<string, object> RefusedCheckRuns => new()
    {
        { "status waiting (GitHub Actions only)", new { name = "reviewbot", head_sha = Head, status = "waiting" } },
        { "conclusion stale (GitHub only)", new { name = "reviewbot", head_sha = Head, conclusion = "stale" } },
        { "conclusion GitLab's word", new { name = "reviewbot", head_sha = Head, conclusion = "failed" } },
        { "completed without conclusion", new { name = "reviewbot", head_sha = Head, status = "completed" } },
        { "completed_at without conclusion", new { name = "reviewbot", head_sha = Head, completed_at = "2026-12-01T00:00:00Z" } },
        { "output without summary", new { name = "reviewbot", head_sha = Head, status = "in_progress", output = new { title = "t" } } },
        { "51 annotations", new { name = "reviewbot", head_sha = Head, status = "in_progress", output = new { title = "t", summary = "s", annotations = Enumerable.Range(1, 51).Select(i => new { path = "a.cs", start_line = i, end_line = i, annotation_level = "notice", message = "m" }) } } },
    };

    [Theory]
    [MemberData(nameof(RefusedCheckRuns))]
    public async Task A_check_run_github_does_not_allow_is_a_422(string why, object run)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, $"{Repo}/check-runs", run);

        Assert.True(status == HttpStatusCode.UnprocessableEntity, $"{why}: {status} {body}");
        Assert.Equal("Validation Failed", JsonNode.Parse(body)!["message"]!.GetValue<string>());
        Assert.Empty(_github.CheckRuns);
    }

    [Fact]
    public async Task Updating_a_completed_run_needs_no_conclusion_again_but_an_unknown_run_is_a_404()
    {
        var (created, body) = await SendAsync(HttpMethod.Post, $"{Repo}/check-runs", new { name = "reviewbot", head_sha = Head, conclusion = "success" });
        var id = JsonNode.Parse(body)!["id"]!.GetValue<long>();

        var (updated, _) = await SendAsync(HttpMethod.Patch, $"{Repo}/check-runs/{id}", new { status = "completed", output = new { title = "t", summary = "s" } });
        var (unknown, _) = await SendAsync(HttpMethod.Patch, $"{Repo}/check-runs/{id + 1}", new { conclusion = "success" });

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.NotFound), (created, updated, unknown));
    }

    [Theory]
    [InlineData("failed")]
    [InlineData("running")]
    [InlineData("canceled")]
    [InlineData("neutral")]
    public async Task A_commit_status_with_a_state_github_lacks_is_a_422(string state)
    {
        var (status, _) = await SendAsync(HttpMethod.Post, $"{Repo}/statuses/{Head}", new { state, context = "reviewbot" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Empty(_github.Statuses);
    }

    [Fact]
    public async Task A_review_requested_from_the_author_is_a_422_and_unknown_pull_requests_are_404s()
    {
        var (author, authorBody) = await SendAsync(HttpMethod.Post, $"{Repo}/pulls/2/requested_reviewers", new { reviewers = new[] { "octocat" } });
        var (reviewers, _) = await SendAsync(HttpMethod.Post, $"{Repo}/pulls/9/requested_reviewers", new { reviewers = new[] { "hubot" } });
        var (labels, _) = await SendAsync(HttpMethod.Post, $"{Repo}/issues/9/labels", new { labels = new[] { "x" } });
        var (comment, _) = await SendAsync(HttpMethod.Post, $"{Repo}/issues/9/comments", new { body = "hello" });
        var (edit, _) = await SendAsync(HttpMethod.Patch, $"{Repo}/issues/comments/123456", new { body = "hello" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, author);
        Assert.Contains("Review cannot be requested from pull request author.", authorBody, StringComparison.Ordinal);
        Assert.All([reviewers, labels, comment, edit], s => Assert.Equal(HttpStatusCode.NotFound, s));
    }

    [Fact]
    public async Task Adding_a_label_the_pull_request_has_is_no_error()
    {
        await SendAsync(HttpMethod.Post, $"{Repo}/issues/2/labels", new { labels = new[] { "ai-authored" } });

        var (status, _) = await SendAsync(HttpMethod.Post, $"{Repo}/issues/2/labels", new { labels = new[] { "ai-authored" } });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["ai-authored"], _github.PullRequests[2].Labels);
    }
}
