using ReviewBot.Core.Decisions;
using ReviewBot.GitHub.Tests.Support;

namespace ReviewBot.GitHub.Tests;

/// <summary>
/// Pinned checks end to end (real host, fake GitHub over HTTP): <c>checks: [{ name: build, app: github-actions }]</c> is
/// met only by a check run the GitHub Actions App created. A look-alike commit status named <c>build</c> (statuses carry
/// no app) and a check run of another App do not satisfy it, and the ReviewBot check run says they were ignored.
/// </summary>
public sealed class EndToEndPinnedCheckTests
{
    private const string Head = EndToEndEnforcementTests.Head;

    private const string Rules = """
        version: 1
        rules:
          - name: build must pass
            require:
              checks: [{ name: build, app: github-actions }]
        """;

    [Fact]
    public async Task A_look_alike_status_from_another_source_does_not_satisfy_a_pinned_check()
    {
        await using var e2e = await EndToEnd.StartAsync(github =>
        {
            EndToEndEnforcementTests.Arrange(github, Rules);
            github.AddStatus(Head, "build", "success", "copilot-swe-agent[bot]");
            github.AddCheckRun(Head, "build", "success", "other-ci");
        });

        var before = await e2e.EvaluateOpenedAsync(1);
        var run = Assert.Single(e2e.GitHub.CheckRuns, r => (string?)r["name"] == "ReviewBot");
        var (conclusion, title, summary) = ((string?)run["conclusion"], (string?)run["output"]!["title"], (string?)run["output"]!["summary"]);
        e2e.GitHub.AddCheckRun(Head, "build", "success", "github-actions");
        var after = await e2e.EvaluateOpenedAsync(2);

        Assert.Equal(DecisionState.Pending, before.Decision!.State);
        var pinned = Assert.Single(before.Decision.Checks);
        Assert.Equal((CheckRequirementState.Missing, "build (app github-actions)"), (pinned.State, pinned.Label));
        Assert.Equal(["build: success (check run by app other-ci)", "build: success (commit status)"], pinned.Ignored.Order());
        Assert.Equal(("action_required", "Waiting for checks: build (app github-actions)"), (conclusion, title));
        Assert.Contains("ignored, not from the GitHub App 'github-actions': ", summary, StringComparison.Ordinal);

        Assert.Equal(DecisionState.Pass, after.Decision!.State);
        var met = Assert.Single(after.Decision.Checks);
        Assert.Equal(CheckRequirementState.Passed, met.State);
        Assert.Equal(["build: success"], met.Matched);
        Assert.Equal("success", (string?)run["conclusion"]);
    }
}
