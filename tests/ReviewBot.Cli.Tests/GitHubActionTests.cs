using System.Diagnostics;
using System.Text.Json;
using ReviewBot.GitHub.Tests.Support;
using ReviewBot.TestSupport;
using YamlDotNet.RepresentationModel;

namespace ReviewBot.Cli.Tests;

/// <summary>
/// The GitHub Action (action.yml) as a runner executes its check step: the step's own <c>run</c> text under bash, with
/// the Actions environment (event payload file, GITHUB_EVENT_NAME, GITHUB_API_URL, the token input as GITHUB_TOKEN,
/// GITHUB_STEP_SUMMARY, GITHUB_OUTPUT) and the built CLI as the build step's output. The pull request, its reviews,
/// the teams and the rules at the base commit come from the fake GitHub over loopback HTTP, as the App reads them.
/// </summary>
public sealed class GitHubActionTests : IAsyncLifetime
{
    private const string Token = "ghs_actions_job_token_never_printed_0123";
    private const string Base = "2222222222222222222222222222222222222222";
    private const string Head = "1111111111111111111111111111111111111111";
    private const long Number = 7;

    private readonly string _runner = Directory.CreateTempSubdirectory("reviewbot-action-").FullName;
    private FakeGitHub _github = null!;

    public async Task InitializeAsync() => _github = await FakeGitHub.StartAsync();

    public async Task DisposeAsync()
    {
        await _github.DisposeAsync();
        Directory.Delete(_runner, recursive: true);
    }

    /// <summary>A pull request on the fake: <paramref name="author"/>'s change to src/App.cs; no rules file unless given.</summary>
    private FakePullRequest PullRequest(string author, string? rules = null)
    {
        var pr = new FakePullRequest { Number = Number, Author = author, AuthorType = FakeUsers.TypeOf(author), HeadSha = Head, BaseSha = Base, Title = "Add Stop" };
        pr.AddFile("src/App.cs").AddCommit(Head, "Add Stop\n", author, author);
        _github.PullRequests[Number] = pr;
        _github.Blobs[$"{Base}:src/App.cs"] = "class App\n{\n    void Run() { }\n}\n";
        _github.Blobs[$"{Head}:src/App.cs"] = "class App\n{\n    void Run() { }\n\n    void Stop() { }\n}\n";
        if (rules is not null)
        {
            _github.Blobs[$"{Base}:.github/reviewbot.yml"] = rules;
        }

        return pr;
    }

    /// <summary>Copilot's coding agent, dispatched by alice (she assigned the issue to Copilot).</summary>
    private FakePullRequest CopilotAgentPullRequest() => PullRequest("Copilot").Assign("alice", "Copilot", 1);

    [Fact]
    public void A_copilot_agent_pull_request_is_pending_until_an_independent_approval_on_the_platform()
    {
        CopilotAgentPullRequest();

        var pending = RunCheckStep(Event("Copilot", "Bot"));

        Assert.True(pending.Exit == 1, pending.Log);
        Assert.Contains("::error::ReviewBot: the rules are not met", pending.Log);
        Assert.Contains("Needs 1 approval from group reviewers (any reviewer)", pending.Summary);
        Assert.Equal("pending", pending.Outputs["state"]);
        Assert.Equal("action-required", pending.Outputs["outcome"]);
        Assert.Equal("ai-authored", pending.Outputs["authorship"]);
        Assert.DoesNotContain("reviews and check results are not read", pending.Summary);

        // bob approves the head on GitHub; the review event re-runs the Action, which now counts it.
        _github.Update(g => g.PullRequests[Number].AddReview(11, "bob", "APPROVED", Head));
        var passed = RunCheckStep(Event("Copilot", "Bot"), "pull_request_review");

        Assert.True(passed.Exit == 0, passed.Log);
        Assert.Equal("pass", passed.Outputs["state"]);
        Assert.Equal("success", passed.Outputs["outcome"]);
        Assert.Contains("ReviewBot: the rules are met", passed.Log);
        Assert.Contains(_github.Requests, r => r.Path.StartsWith($"/repos/Codertocat/Hello-World/pulls/{Number}/reviews", StringComparison.Ordinal));
        Assert.Contains(_github.Requests, r => r.Authorization.Contains(Token, StringComparison.Ordinal));
        Assert.Empty(_github.Writes);
        Assert.DoesNotContain(Token, pending.Log + pending.Summary + passed.Log + passed.Summary + File.ReadAllText(Path.Combine(_runner, "output.txt")));
    }

    [Fact]
    public void Approvals_by_the_author_or_the_human_who_dispatched_the_agent_do_not_count()
    {
        var pr = CopilotAgentPullRequest();
        pr.AddReview(11, "Copilot", "APPROVED", Head).AddReview(12, "alice", "APPROVED", Head);

        var run = RunCheckStep(Event("Copilot", "Bot"));

        Assert.True(run.Exit == 1, run.Log);
        Assert.Equal("pending", run.Outputs["state"]);
        Assert.Contains("Needs 1 approval from group reviewers (any reviewer)", run.Summary);
    }

    [Fact]
    public void A_team_the_token_cannot_read_leaves_its_group_pending_and_the_summary_says_why()
    {
        var pr = PullRequest("ada", SimulateCommandTests.OneSenior);
        pr.AddReview(11, "bob", "APPROVED", Head);
        _github.Teams["Codertocat/seniors"] = ["bob"];
        _github.TokensWithoutTeamAccess.Add(Token);

        var run = RunCheckStep(Event("ada", "User"));

        Assert.True(run.Exit == 1, run.Log);
        Assert.Equal("pending", run.Outputs["state"]);
        Assert.Contains("team Codertocat/seniors could not be read (403: this token may not read team membership)", run.Summary);
        Assert.Contains("cannot read team membership: give the Action's token input a GitHub App installation token with Members: read", run.Summary);

        // The same pull request with a token that may read teams (an App installation token): bob counts.
        _github.TokensWithoutTeamAccess.Clear();
        var withAppToken = RunCheckStep(Event("ada", "User"));
        Assert.True(withAppToken.Exit == 0, withAppToken.Log);
        Assert.DoesNotContain("could not be read", withAppToken.Summary);
    }

    [Fact]
    public void A_human_pull_request_passes_and_the_job_succeeds()
    {
        PullRequest("ada");

        var run = RunCheckStep(Event("ada", "User"));

        Assert.True(run.Exit == 0, run.Log);
        Assert.Equal("pass", run.Outputs["state"]);
        Assert.Equal("human", run.Outputs["authorship"]);
        Assert.Contains("ReviewBot", run.Summary);
    }

    [Fact]
    public void Rules_that_do_not_parse_at_the_base_fail_the_job_with_exit_2()
    {
        PullRequest("Copilot", "version: 1\nrules:\n  - name: x\n    requier: { checks: [build] }\n");

        var run = RunCheckStep(Event("Copilot", "Bot"));

        Assert.True(run.Exit == 2, run.Log);
        Assert.Contains(".github/reviewbot.yml:4:5", run.Log);
        Assert.Equal("fail", run.Outputs["state"]);
    }

    [Fact]
    public void A_pull_request_the_token_cannot_read_fails_the_job_with_exit_2()
    {
        var run = RunCheckStep(Event("ada", "User"));

        Assert.True(run.Exit == 2, run.Log);
        Assert.Contains("could not evaluate GitHub Codertocat/Hello-World#7", run.Log);
        Assert.DoesNotContain(Token, run.Log);
    }

    [Fact]
    public void An_event_without_a_pull_request_is_refused()
    {
        var run = RunCheckStep("""{"ref":"refs/heads/main","repository":{"full_name":"acme/app"}}""");

        Assert.Equal(2, run.Exit);
        Assert.Contains("ReviewBot runs on pull request events", run.Log);
    }

    [Fact]
    public void On_pull_request_the_pull_request_controls_the_workflow_so_it_is_refused()
    {
        PullRequest("ada");

        var run = RunCheckStep(Event("ada", "User"), "pull_request");

        Assert.Equal(2, run.Exit);
        Assert.Contains("gates only on pull_request_target", run.Log);
    }

    [Theory]
    [InlineData("rules")]
    [InlineData("org-rules")]
    public void On_pull_request_review_rules_files_from_the_workspace_are_refused(string input)
    {
        PullRequest("ada");

        var run = RunCheckStep(Event("ada", "User"), "pull_request_review", new() { [input] = "reviewbot.yml" });

        Assert.Equal(2, run.Exit);
        Assert.Contains("the rules and org-rules inputs are files of the workspace", run.Log);
    }

    [Fact]
    public void A_run_whose_pull_request_moved_on_evaluates_nothing()
    {
        // The event is for Head; a push since made the pull request's head another commit. Its approval-free decision
        // must not be reported as this commit's.
        const string Newer = "3333333333333333333333333333333333333333";
        var pr = PullRequest("alice");
        pr.AddCommit(Newer, "Later\n", "alice", "alice");
        _github.Update(g => g.PullRequests[Number].HeadSha = Newer);
        _github.Blobs[$"{Newer}:src/App.cs"] = _github.Blobs[$"{Head}:src/App.cs"];

        var run = RunCheckStep(Event("alice", "User"));

        Assert.Equal(2, run.Exit);
        Assert.Contains($"head moved from {Head} (this event) to {Newer}", run.Log);
        Assert.Equal("", run.Summary);
    }

    [Fact]
    public void Check_refuses_a_payload_that_is_not_a_pull_request_event()
    {
        var file = Path.Combine(_runner, "push.json");
        File.WriteAllText(file, """{"ref":"refs/heads/main"}""");
        using var stderr = new StringWriter();

        var exit = CliRunner.Run(CliApp.BuildRoot(), ["check", "--github-api", "--github-event", file], new StringWriter(), stderr);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("is not a pull request event (no pull_request object)", stderr.ToString());
    }

    private static string Event(string login, string type) => JsonSerializer.Serialize(new
    {
        action = "opened",
        number = Number,
        pull_request = new
        {
            number = Number,
            title = "Add Stop",
            body = "",
            user = new { login, id = FakeUsers.IdOf(login), type },
            labels = Array.Empty<object>(),
            @base = new { @ref = "main", sha = Base, repo = new { full_name = "Codertocat/Hello-World" } },
            head = new { @ref = "feature", sha = Head },
        },
        repository = new { full_name = "Codertocat/Hello-World" },
    });

    private sealed record StepRun(int Exit, string Log, string Summary, Dictionary<string, string> Outputs);

    /// <summary>Runs the <c>run</c> text of action.yml's step <c>check</c> as the runner does (bash, the step's env).</summary>
    private StepRun RunCheckStep(string payload, string eventName = "pull_request_target", Dictionary<string, string>? inputs = null)
    {
        var step = CheckStep();
        var eventFile = Path.Combine(_runner, "event.json");
        var summary = Path.Combine(_runner, "summary.md");
        var output = Path.Combine(_runner, "output.txt");
        var wrapper = Path.Combine(_runner, "reviewbot");
        File.WriteAllText(eventFile, payload);
        File.WriteAllText(summary, "");
        File.WriteAllText(output, "");
        File.WriteAllText(wrapper, $"#!/bin/sh\nexec dotnet '{ServeProcess.CliDll}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var start = new ProcessStartInfo("bash", ["-e", "-c", ((YamlScalarNode)step["run"]).Value!])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _runner,
        };
        foreach (var name in new[] { "GITHUB_TOKEN", "GH_TOKEN", "GITHUB_API_URL" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in ((YamlMappingNode)step["env"]).Children)
        {
            // ${{ ... }} expressions are the runner's: the build step's output is the CLI, the token input the job's
            // token, other inputs as the test gives them (else empty).
            var expression = ((YamlScalarNode)value).Value!;
            var input = System.Text.RegularExpressions.Regex.Match(expression, @"inputs\.([a-z-]+)").Groups[1].Value;
            start.Environment[((YamlScalarNode)name).Value!] = expression.Contains("steps.build.outputs.reviewbot", StringComparison.Ordinal) ? wrapper
                : input == "token" ? Token
                : inputs?.GetValueOrDefault(input) ?? "";
        }

        start.Environment["GITHUB_ACTION_PATH"] = TestPaths.RepoRoot;
        start.Environment["GITHUB_WORKSPACE"] = _runner;
        start.Environment["GITHUB_API_URL"] = _github.Address.ToString();
        start.Environment["GITHUB_EVENT_PATH"] = eventFile;
        start.Environment["GITHUB_EVENT_NAME"] = eventName;
        start.Environment["GITHUB_STEP_SUMMARY"] = summary;
        start.Environment["GITHUB_OUTPUT"] = output;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the check step did not finish");
        var outputs = File.ReadAllLines(output).Where(l => l.Contains('=')).ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..]);
        return new StepRun(process.ExitCode, stdout.Result + stderr.Result, File.ReadAllText(summary), outputs);
    }

    private static YamlMappingNode CheckStep()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "action.yml"))));
        var steps = (YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["runs"])["steps"];
        return steps.Cast<YamlMappingNode>().Single(s => s.Children.TryGetValue("id", out var id) && ((YamlScalarNode)id).Value == "check");
    }
}
