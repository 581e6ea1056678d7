using System.Net;
using ReviewBot.GitLab.Api;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.GitLab.Tests;

public sealed class GitLabClientTests : FakeGitLabTest
{
    private GitLabClient Client(string token = FakeGitLabServer.Token, int maxRetries = 3, TimeProvider? time = null)
        => new(Http, new GitLabOptions
        {
            BaseUrl = Server.BaseUri.ToString(),
            Token = token,
            MaxRetries = maxRetries,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            MaxRetryDelay = TimeSpan.FromSeconds(5),
        }, time ?? TimeProvider.System);

    [Fact]
    public async Task Lists_follow_x_next_page_until_the_last_page()
    {
        Server.PageSize = 1;
        var client = Client();

        var diffs = await client.ListMergeRequestDiffsAsync("42", 7);

        Assert.Equal(["src/Payments/Client.cs", "src/New.cs"], diffs.Items.Select(d => d.NewPath));
        Assert.False(diffs.Truncated);
        Assert.Equal(2, client.RequestCount);
        Assert.Equal(["?per_page=100&page=1", "?per_page=100&page=2"], Server.RequestsTo("GET", "/diffs").Select(r => r.Query));
    }

    [Fact]
    public async Task Project_paths_are_url_encoded_and_the_token_is_sent_as_private_token()
    {
        var mr = await Client().GetMergeRequestAsync(GitLabClient.ProjectRef(null, FakeGitLabServer.ProjectPath), 7);

        Assert.Equal(7, mr.Iid);
        Assert.Equal("alice", mr.Author!.Username);
        Assert.Equal(FakeGitLabServer.BaseSha, mr.DiffRefs!.BaseSha);
        var request = Assert.Single(Server.Requests);
        Assert.Equal("/api/v4/projects/acme%2Fbackend%2Fapi/merge_requests/7", request.Path);
        Assert.Equal(FakeGitLabServer.Token, request.Token);
    }

    [Fact]
    public async Task A_429_with_retry_after_is_retried_after_waiting()
    {
        Server.FailNext("/merge_requests/7", 429, retryAfter: "1");
        var client = Client();
        var started = DateTimeOffset.UtcNow;

        var mr = await client.GetMergeRequestAsync("42", 7);

        Assert.Equal(7, mr.Iid);
        Assert.Equal(2, client.RequestCount);
        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromMilliseconds(900), "Retry-After: 1 was not honoured");
    }

    [Fact]
    public async Task A_429_with_ratelimit_reset_waits_until_the_reset()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 26, 14, 0, 0, TimeSpan.Zero));
        Server.FailNext("/merge_requests/7", 429, rateLimitReset: (clock.Now.ToUnixTimeSeconds() + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var client = Client(time: clock);

        var mr = await client.GetMergeRequestAsync("42", 7);

        Assert.Equal(7, mr.Iid);
        Assert.Equal(2, client.RequestCount);
    }

    [Fact]
    public async Task A_429_asking_longer_than_max_retry_delay_fails_at_once()
    {
        Server.FailNext("/merge_requests/7", 429, retryAfter: "3600");
        var client = Client();

        var transient = await Assert.ThrowsAsync<PlatformTransientException>(() => client.GetMergeRequestAsync("42", 7));

        var ex = Assert.IsType<GitLabApiException>(transient.InnerException);
        Assert.Equal(HttpStatusCode.TooManyRequests, ex.StatusCode);
        Assert.Equal(TimeSpan.FromHours(1), transient.RetryAfter);
        Assert.Contains("asks to wait 3600s", transient.Message, StringComparison.Ordinal);
        Assert.Equal(1, client.RequestCount);
    }

    [Fact]
    public async Task Server_errors_are_retried_with_backoff()
    {
        Server.FailNext("/approvals", 500);
        Server.FailNext("/approvals", 502);
        var client = Client();

        var approvals = await client.GetApprovalsAsync("42", 7);

        Assert.Equal(["bob", "dave"], approvals.ApprovedBy!.Select(a => a.User!.Username));
        Assert.Equal(3, client.RequestCount);
    }

    [Fact]
    public async Task PersistentServer_errors_fail_after_the_retries_never_a_false_success()
    {
        for (var i = 0; i < 3; i++)
        {
            Server.FailNext("/statuses/", 503);
        }

        var client = Client(maxRetries: 2);
        var transient = await Assert.ThrowsAsync<PlatformTransientException>(() => client.PostCommitStatusAsync("42", FakeGitLabServer.HeadSha,
            new GlCommitStatusWrite { State = "success", Name = "reviewbot" }));

        var ex = Assert.IsType<GitLabApiException>(transient.InnerException);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Contains("gave up after 3 attempts", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Server.StatusesNamed("reviewbot"));
    }

    [Fact]
    public async Task Client_errors_are_not_retried_and_never_show_the_token()
    {
        var client = Client(token: "glpat-wrong-token");

        var ex = await Assert.ThrowsAsync<GitLabApiException>(() => client.GetMergeRequestAsync("42", 7));

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Equal("GitLab GET /api/v4/projects/42/merge_requests/7: 401 Unauthorized: 401 Unauthorized", ex.Message);
        Assert.DoesNotContain("glpat", ex.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, client.RequestCount);
    }

    [Fact]
    public async Task Missing_files_are_null_and_present_files_carry_their_revision()
    {
        var client = Client();

        Assert.Null(await client.GetFileAsync("42", ".gitlab/reviewbot.yml", "no-such-branch"));
        Assert.Null(await client.GetRawFileAsync("42", "src/Nope.cs", FakeGitLabServer.HeadSha));
        var file = await client.GetFileAsync("42", ".gitlab/reviewbot.yml", FakeGitLabServer.BaseSha);
        Assert.Equal("7a26e7", file!.CommitId);
        Assert.Equal("using System;\nclass A {}\n", System.Text.Encoding.UTF8.GetString((await client.GetRawFileAsync("42", "src/Payments/Client.cs", FakeGitLabServer.BaseSha))!));
        Assert.Equal("/api/v4/projects/42/repository/files/.gitlab%2Freviewbot.yml", Server.Requests[0].Path);
    }

    [Fact]
    public async Task Forbidden_approval_rules_are_reported_as_unavailable()
    {
        Server.ApprovalRulesForbidden = true;

        var ex = await Assert.ThrowsAsync<GitLabApiException>(() => Client().ListApprovalRulesAsync("42", 7));

        Assert.True(ex.IsUnavailable);
        Assert.Equal(HttpStatusCode.Forbidden, ex.StatusCode);
    }

    [Fact]
    public async Task Approval_rules_round_trip_and_show_in_the_approval_state()
    {
        var client = Client();
        var rule = await client.CreateApprovalRuleAsync("42", 7, new GlApprovalRuleWrite { Name = "reviewbot: x", ApprovalsRequired = 2, Usernames = ["bob"], GroupIds = [77] });
        await client.UpdateApprovalRuleAsync("42", 7, rule.Id, new GlApprovalRuleWrite { Name = "reviewbot: x", ApprovalsRequired = 1 });

        var state = await client.GetApprovalStateAsync("42", 7);
        var listed = Assert.Single(state.Rules!);
        Assert.Equal(("reviewbot: x", 1), (listed.Name, listed.ApprovalsRequired));
        Assert.Equal("""{"name":"reviewbot: x","approvals_required":2,"usernames":["bob"],"group_ids":[77]}""", Server.RequestsTo("POST", "/approval_rules")[0].Body);

        await client.DeleteApprovalRuleAsync("42", 7, rule.Id);
        Assert.Empty((await client.ListApprovalRulesAsync("42", 7)).Items);
    }

    [Fact]
    public async Task Project_and_group_members_carry_access_levels()
    {
        var client = Client();

        var project = await client.ListProjectMembersAsync("42");
        var group = await client.ListGroupMembersAsync("acme/seniors");

        Assert.Equal(("alice", 30), (project.Items[0].Username, project.Items[0].AccessLevel));
        Assert.Equal([("bob", 40, "active"), ("erin", 40, "blocked"), ("frank", 10, "active")], group.Items.Select(m => (m.Username!, m.AccessLevel, m.State!)));
    }

    [Fact]
    public async Task Network_failures_are_retried_then_reported()
    {
        var client = new GitLabClient(Http, new GitLabOptions
        {
            BaseUrl = "http://127.0.0.1:1", Token = "t", MaxRetries = 1, RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        }, TimeProvider.System);

        var transient = await Assert.ThrowsAsync<PlatformTransientException>(() => client.GetCurrentUserAsync());

        Assert.Null(Assert.IsType<GitLabApiException>(transient.InnerException).StatusCode);
        Assert.Equal(2, client.RequestCount);
    }
}
