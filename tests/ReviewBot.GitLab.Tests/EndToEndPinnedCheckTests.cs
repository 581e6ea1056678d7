using System.Net;
using ReviewBot.Core.Decisions;

namespace ReviewBot.GitLab.Tests;

/// <summary>
/// Pinned checks end to end on GitLab (real host, worker and engine; fake GitLab over HTTP):
/// <c>checks: [{ name: build, source: pipeline }]</c> is met only by the CI job <c>build</c> of the merge request's own
/// pipeline. An external status named <c>build</c>, posted through the API into that very pipeline, is not a job: it
/// does not satisfy the requirement (an unpinned <c>build</c> would take it, being the latest of the name), and the
/// decision says it was ignored.
/// </summary>
public sealed class EndToEndPinnedCheckTests : FakeGitLabTest
{
    private const string Secret = "e2e-pinned-secret";

    private const string Rules = """
        version: 1
        rules:
          - name: build must pass
            require:
              checks: [{ name: build, source: pipeline }]
        """;

    [Fact]
    public async Task A_look_alike_status_from_another_source_does_not_satisfy_a_pinned_check()
    {
        Server.Files[(FakeGitLabServer.BaseSha, ".gitlab/reviewbot.yml")] = Rules;
        Server.Statuses.RemoveAll(s => s["name"]!.GetValue<string>() == "build" && s["id"]!.GetValue<long>() != 401);
        Server.Statuses.Single(s => s["id"]!.GetValue<long>() == 401)["status"] = "running"; // the job is still running
        Assert.Equal(HttpStatusCode.Created, await PostExternalStatusAsync("build", "success", "refs/merge-requests/7/head"));
        var audit = new DeliveryRecorderDouble();

        var (beforeStatus, before) = await EvaluateInNewHostAsync(Secret, audit, 1);
        Server.Update(s => s.Statuses.Single(x => x["id"]!.GetValue<long>() == 401)["status"] = "success");
        var (afterStatus, after) = await EvaluateInNewHostAsync(Secret, audit, 2);

        Assert.Equal("pending", beforeStatus);
        var pinned = Assert.Single(before.Decision!.Checks);
        Assert.Equal((CheckRequirementState.Pending, "build (source pipeline)"), (pinned.State, pinned.Label));
        Assert.Equal("waiting for build: in progress; ignored, not from the merge request's pipeline: build: success (commit status)", pinned.Reason);
        Assert.Equal(2, Server.RequestsTo("GET", "/pipelines/300/jobs").Count(r => r.Query.Contains("include_retried=true", StringComparison.Ordinal))); // once per evaluation

        Assert.Equal("success", afterStatus);
        var met = Assert.Single(after.Decision!.Checks);
        Assert.Equal(CheckRequirementState.Passed, met.State);
        Assert.Equal(["build: success"], met.Matched);
    }
}
