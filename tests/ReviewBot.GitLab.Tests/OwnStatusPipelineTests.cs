using ReviewBot.Core.Decisions;
using ReviewBot.Core.Snapshot;
using ReviewBot.GitLab.Api;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.GitLab.Tests;

/// <summary>
/// ReviewBot's own commit status lands in a pipeline (a new <c>external</c> one when its ref has none) and GitLab counts
/// it in that pipeline's status. The check "pipeline" must neither wait on ReviewBot's own status nor be satisfied by it.
/// </summary>
public sealed class OwnStatusPipelineTests : FakeGitLabTest
{
    private static EnforcementPlan Plan(CheckOutcome outcome) => new()
    {
        HeadSha = FakeGitLabServer.HeadSha, Outcome = outcome, Title = outcome.ToString(), Summary = "s", Comment = null,
    };

    private GitLabClient Client() => new(Http, Options, TimeProvider.System);

    /// <summary>Posts ReviewBot's status through the enforcer, then reads the merge request's checks again.</summary>
    private async Task<IReadOnlyList<CheckResult>> ChecksAfterOwnStatusAsync(CheckOutcome outcome)
    {
        var client = Client();
        var source = new GitLabPullRequestSource(client, Options);
        var enforcer = new GitLabEnforcer(client, Options, Request);
        var snapshot = await source.LoadAsync(Request);
        await enforcer.MarkInProgressAsync(snapshot);
        await enforcer.ApplyAsync(snapshot, Plan(outcome));
        return (await source.LoadAsync(Request)).Checks;
    }

    private void WithoutCi()
    {
        Server.Pipelines.Clear();
        Server.Statuses.Clear();
    }

    [Theory]
    [InlineData(CheckOutcome.ActionRequired)]
    [InlineData(CheckOutcome.Success)]
    public async Task Without_ci_reviewbots_external_pipeline_is_no_pipeline_check(CheckOutcome outcome)
    {
        WithoutCi();

        var checks = await ChecksAfterOwnStatusAsync(outcome);

        var external = Assert.Single(Server.Pipelines);
        Assert.Equal("external", external["source"]!.GetValue<string>());
        Assert.Equal(outcome == CheckOutcome.Success ? "success" : "pending", external["status"]!.GetValue<string>());
        Assert.Empty(checks); // neither waiting on ReviewBot (pending) nor satisfied by it (success)
    }

    [Fact]
    public async Task A_merge_request_pipeline_older_than_reviewbots_external_one_is_the_pipeline_check()
    {
        Server.Pipelines[0]["status"] = "failed";

        var checks = await ChecksAfterOwnStatusAsync(CheckOutcome.Success);

        Assert.Equal("external", Server.Pipelines.MaxBy(p => p["id"]!.GetValue<long>())!["source"]!.GetValue<string>());
        var pipeline = Assert.Single(checks, c => c.Name == "pipeline");
        Assert.Equal(CheckConclusion.Failure, pipeline.Conclusion); // the CI verdict, not ReviewBot's success
    }

    [Fact]
    public async Task A_branch_pipeline_holding_reviewbots_status_is_judged_on_its_other_jobs()
    {
        WithoutCi();
        Server.Pipelines.Add(FakeGitLabServer.Obj($$"""{ "id": 310, "sha": "{{FakeGitLabServer.HeadSha}}", "ref": "feature/retry", "status": "success", "source": "push" }"""));
        Server.Statuses.Add(FakeGitLabServer.Obj($$"""{ "id": 411, "sha": "{{FakeGitLabServer.HeadSha}}", "name": "test", "status": "success", "allow_failure": false, "pipeline_id": 310 }"""));

        var checks = await ChecksAfterOwnStatusAsync(CheckOutcome.ActionRequired);

        Assert.Equal("running", Server.Pipelines.Single()["status"]!.GetValue<string>()); // GitLab counts ReviewBot's pending status in
        Assert.Equal(
            [("pipeline", CheckStatus.Completed, (CheckConclusion?)CheckConclusion.Success), ("test", CheckStatus.Completed, CheckConclusion.Success)],
            checks.Select(c => (c.Name, c.Status, c.Conclusion)));
    }

    [Fact]
    public void Without_pipeline_ids_an_external_pipeline_beside_reviewbots_status_is_taken_for_reviewbots()
    {
        GlPipeline[] pipelines = [new() { Id = 1, Status = "success", Source = "push" }, new() { Id = 2, Status = "pending", Source = "external" }];
        GlCommitStatus[] statuses = [new() { Id = 5, Name = "reviewbot", Status = "pending" }];

        var withOwn = GitLabPullRequestSource.PipelineCheck(pipelines, statuses, "reviewbot");
        var withoutOwn = GitLabPullRequestSource.PipelineCheck(pipelines, [], "reviewbot");

        Assert.Equal(CheckConclusion.Success, withOwn!.Conclusion);
        Assert.Equal(CheckStatus.Queued, withoutOwn!.Status); // someone else's external pipeline counts
    }

    [Theory]
    [InlineData("success,skipped", "success")]
    [InlineData("skipped", "skipped")]
    [InlineData("", "skipped")]
    [InlineData("success,failed!", "success")] // an allowed failure
    [InlineData("success,failed", "failed")]
    [InlineData("pending,created", "pending")]
    [InlineData("success,pending", "running")]
    [InlineData("failed,running", "running")]
    [InlineData("success,manual", "manual")]
    [InlineData("canceled,success", "canceled")]
    public void Jobs_compose_into_a_pipeline_status_as_gitlab_composes_them(string jobs, string expected)
    {
        var statuses = jobs.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(j => new GlCommitStatus { Status = j.TrimEnd('!'), AllowFailure = j.EndsWith('!') });

        Assert.Equal(expected, GitLabPullRequestSource.CompositeStatus(statuses));
    }

    [Fact]
    public async Task Only_the_newest_job_of_each_name_counts()
    {
        WithoutCi();
        Server.Pipelines.Add(FakeGitLabServer.Obj($$"""{ "id": 310, "sha": "{{FakeGitLabServer.HeadSha}}", "ref": "feature/retry", "status": "success", "source": "push" }"""));
        Server.Statuses.Add(FakeGitLabServer.Obj($$"""{ "id": 411, "sha": "{{FakeGitLabServer.HeadSha}}", "name": "test", "status": "failed", "allow_failure": false, "pipeline_id": 310 }"""));
        Server.Statuses.Add(FakeGitLabServer.Obj($$"""{ "id": 412, "sha": "{{FakeGitLabServer.HeadSha}}", "name": "test", "status": "success", "allow_failure": false, "pipeline_id": 310 }"""));

        var checks = await ChecksAfterOwnStatusAsync(CheckOutcome.ActionRequired);

        Assert.Equal(CheckConclusion.Success, Assert.Single(checks, c => c.Name == "pipeline").Conclusion);
    }
}
