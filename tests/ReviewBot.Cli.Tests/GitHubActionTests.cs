using System.Diagnostics;
using System.Text.Json;
using ReviewBot.TestSupport;
using YamlDotNet.RepresentationModel;

namespace ReviewBot.Cli.Tests;

/// <summary>
/// The GitHub Action (action.yml) as a runner executes its check step: the step's own <c>run</c> text under bash, with
/// the Actions environment (event payload file, GITHUB_WORKSPACE with the base checked out, GITHUB_STEP_SUMMARY,
/// GITHUB_OUTPUT) and the built CLI as the build step's output.
/// </summary>
public sealed class GitHubActionTests : IDisposable
{
    private static readonly GitIdentity CopilotAgent = new("copilot-swe-agent[bot]", "198982749+Copilot@users.noreply.github.com");

    private readonly GitRepoBuilder _repo = GitRepoBuilder.Init();
    private readonly string _runner = Directory.CreateTempSubdirectory("reviewbot-action-").FullName;
    private readonly string _baseSha;

    public GitHubActionTests()
    {
        _repo.Write("src/App.cs", "class App\n{\n    void Run() { }\n}\n");
        _baseSha = _repo.Commit("Initial");
    }

    public void Dispose()
    {
        _repo.Dispose();
        Directory.Delete(_runner, recursive: true);
    }

    [Fact]
    public void A_copilot_agent_pull_request_is_pending_the_summary_says_why_and_the_job_fails()
    {
        var head = Change(CopilotAgent);

        var run = RunCheckStep(Event(head, login: "Copilot", type: "Bot"));

        Assert.True(run.Exit == 1, run.Log);
        Assert.Contains("::error::ReviewBot: the rules are not met", run.Log);
        Assert.Contains("Needs 1 approval from group reviewers (any reviewer)", run.Summary);
        Assert.Contains("cannot read team membership", run.Summary);
        Assert.Equal("pending", run.Outputs["state"]);
        Assert.Equal("action-required", run.Outputs["outcome"]);
        Assert.Equal("ai-authored", run.Outputs["authorship"]);
        Assert.Equal("ai-authored", run.Outputs["labels"]);
    }

    [Fact]
    public void A_human_pull_request_passes_and_the_job_succeeds()
    {
        var head = Change(GitIdentity.DefaultAuthor);

        var run = RunCheckStep(Event(head, login: "ada", type: "User"));

        Assert.True(run.Exit == 0, run.Log);
        Assert.Equal("pass", run.Outputs["state"]);
        Assert.Equal("human", run.Outputs["authorship"]);
        Assert.Contains("ReviewBot", run.Summary);
    }

    [Fact]
    public void Rules_that_do_not_parse_at_the_base_fail_the_job_with_exit_2()
    {
        _repo.Write(".github/reviewbot.yml", "version: 1\nrules:\n  - name: x\n    requier: { checks: [build] }\n");
        _repo.Commit("Rules");
        var head = Change(CopilotAgent);

        var run = RunCheckStep(Event(head, login: "Copilot", type: "Bot", baseSha: _repo.Head));

        Assert.True(run.Exit == 2, run.Log);
        Assert.Contains(".github/reviewbot.yml:4:5", run.Log);
        Assert.Equal("fail", run.Outputs["state"]);
    }

    [Fact]
    public void An_event_without_a_pull_request_is_refused()
    {
        var run = RunCheckStep("""{"ref":"refs/heads/main","repository":{"full_name":"acme/app"}}""");

        Assert.Equal(2, run.Exit);
        Assert.Contains("ReviewBot runs on pull request events", run.Log);
    }

    [Theory]
    [InlineData("pull_request")]
    [InlineData("pull_request_review")]
    public void Events_where_the_pull_request_controls_the_workflow_are_refused(string eventName)
    {
        var run = RunCheckStep(Event(Change(GitIdentity.DefaultAuthor), login: "ada", type: "User"), eventName);

        Assert.Equal(2, run.Exit);
        Assert.Contains("gates only on pull_request_target", run.Log);
    }

    [Fact]
    public void Check_refuses_a_payload_that_is_not_a_pull_request_event()
    {
        var file = Path.Combine(_runner, "push.json");
        File.WriteAllText(file, """{"ref":"refs/heads/main"}""");
        using var stderr = new StringWriter();

        var exit = CliRunner.Run(CliApp.BuildRoot(), ["check", "--repo", _repo.Path, "--github-event", file], new StringWriter(), stderr);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("is not a pull request event (no pull_request object)", stderr.ToString());
    }

    /// <summary>Commits a change on a branch and checks the base out again, as pull_request_target leaves the workspace.</summary>
    private string Change(GitIdentity author)
    {
        _repo.CreateBranch("feature", checkout: true);
        _repo.Write("src/App.cs", "class App\n{\n    void Run() { }\n\n    void Stop() { }\n}\n");
        var head = _repo.Commit("Add Stop", author);
        _repo.Checkout("main");
        return head;
    }

    private string Event(string headSha, string login, string type, string? baseSha = null) => JsonSerializer.Serialize(new
    {
        action = "opened",
        number = 7,
        pull_request = new
        {
            number = 7,
            title = "Add Stop",
            body = "",
            user = new { login, id = 198982749, type },
            labels = Array.Empty<object>(),
            @base = new { @ref = "main", sha = baseSha ?? _baseSha, repo = new { full_name = "acme/app" } },
            head = new { @ref = "feature", sha = headSha },
        },
        repository = new { full_name = "acme/app" },
    });

    private sealed record StepRun(int Exit, string Log, string Summary, Dictionary<string, string> Outputs);

    /// <summary>Runs the <c>run</c> text of action.yml's step <c>check</c> as the runner does (bash, the step's env).</summary>
    private StepRun RunCheckStep(string payload, string eventName = "pull_request_target")
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
        };
        foreach (var (name, value) in ((YamlMappingNode)step["env"]).Children)
        {
            // ${{ ... }} expressions are the runner's: the build step's output is the CLI, the inputs are empty.
            start.Environment[((YamlScalarNode)name).Value!] = ((YamlScalarNode)value).Value!.Contains("steps.build.outputs.reviewbot", StringComparison.Ordinal) ? wrapper : "";
        }

        start.Environment["GITHUB_ACTION_PATH"] = TestPaths.RepoRoot;
        start.Environment["GITHUB_WORKSPACE"] = _repo.Path;
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
