using System.Diagnostics;
using System.Text.Json;
using ReviewBot.Cli;
using ReviewBot.TestSupport;

namespace ReviewBot.Cli.Tests;

/// <summary><c>reviewbot classify</c> end to end on repositories the tests create.</summary>
public sealed class ClassifyCommandTests
{
    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = CliRunner.Run(CliApp.BuildRoot(), args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static GitRepoBuilder TwoBranches()
    {
        var repo = GitRepoBuilder.Init();
        repo.Write("README.md", "# demo\n");
        repo.Commit("Initial", new GitIdentity("Alice", "alice@example.com"));
        repo.CreateBranch("feature", checkout: true);
        repo.Write("a.txt", "a\n");
        repo.Commit("Add a", new GitIdentity("Alice", "alice@example.com"));
        return repo;
    }

    [Fact]
    public void Not_a_repository_is_exit_2_with_one_clear_line()
    {
        var dir = Directory.CreateTempSubdirectory("reviewbot-cli-not-repo-");
        try
        {
            var (exit, stdout, stderr) = Run("classify", "--repo", dir.FullName, "--range", "main..feature");
            Assert.Equal(2, exit);
            Assert.Equal("", stdout);
            Assert.Equal($"reviewbot: not a git repository: {dir.FullName}\n", stderr.ReplaceLineEndings("\n"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Unknown_ref_is_exit_2_without_a_stack_trace()
    {
        using var repo = TwoBranches();
        var (exit, stdout, stderr) = Run("classify", "--repo", repo.Path, "--range", "main..no-such-branch");
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith("reviewbot: unknown revision 'no-such-branch'", stderr);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain("   at ", stderr);
    }

    [Theory]
    [InlineData("main")]
    [InlineData("..")]
    [InlineData("a..b..c")]
    public void Bad_range_is_exit_2(string range)
    {
        using var repo = TwoBranches();
        var (exit, _, stderr) = Run("classify", "--repo", repo.Path, "--range", range);
        Assert.Equal(2, exit);
        Assert.StartsWith($"reviewbot: invalid range '{range}'", stderr);
    }

    [Fact]
    public void Missing_range_and_bad_format_are_usage_errors()
    {
        using var repo = TwoBranches();
        Assert.Equal(2, Run("classify", "--repo", repo.Path).Exit);
        var (exit, _, stderr) = Run("classify", "--repo", repo.Path, "--range", "main..feature", "--format", "xml");
        Assert.Equal(2, exit);
        Assert.Contains("xml", stderr);
    }

    private static readonly GitIdentity Alice = new("Alice", "alice@example.com");
    private static readonly GitIdentity CopilotAgent = new("copilot-swe-agent[bot]", "198982749+Copilot@users.noreply.github.com");
    private static readonly GitIdentity Dependabot = new("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com");

    /// <summary>main, then on feature: a human commit, a Claude-assisted commit, a Copilot-agent commit, a dependabot commit.</summary>
    private static (GitRepoBuilder Repo, string[] Shas) MixedHistory()
    {
        var repo = GitRepoBuilder.Init();
        repo.Write("README.md", "# demo\n");
        repo.Commit("Initial", Alice);
        repo.CreateBranch("feature", checkout: true);
        repo.Write("src/Human.cs", "class Human {}\n");
        var human = repo.Commit("Add human class\n\nWritten by hand.\n", Alice);
        repo.Write("src/Parser.cs", "class Parser {}\n");
        var claude = repo.Commit("Add parser\n\nGenerated with Claude Code.\n\nCo-authored-by: Claude <noreply@anthropic.com>\n", Alice);
        repo.Write("src/Fix.cs", "class Fix {}\n");
        var copilot = repo.Commit(
            "Fix null check in parser\n\nCo-authored-by: alice <1234567+alice@users.noreply.github.com>\n",
            new CommitOptions { Author = CopilotAgent, Committer = new GitIdentity("GitHub", "noreply@github.com") });
        repo.Write("package.json", "{ \"dependencies\": { \"left-pad\": \"1.3.0\" } }\n");
        var dependabot = repo.Commit(
            "Bump left-pad from 1.2.0 to 1.3.0\n\nBumps left-pad.\n\nSigned-off-by: dependabot[bot] <support@github.com>\n",
            Dependabot);
        return (repo, [human, claude, copilot, dependabot]);
    }

    private static JsonElement ClassifyJson(GitRepoBuilder repo, string range)
    {
        var (exit, stdout, stderr) = Run("classify", "--repo", repo.Path, "--range", range, "--format", "json");
        Assert.True(exit == 0, stderr);
        Assert.Equal("", stderr);
        return JsonDocument.Parse(stdout).RootElement;
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public void Json_reports_every_commit_with_kind_agents_and_evidence_and_the_overall_verdict()
    {
        var (repo, shas) = MixedHistory();
        using var owner = repo;
        var json = ClassifyJson(repo, "main..feature");

        Assert.Equal("main..feature", json.GetProperty("range").GetString());
        Assert.Equal("main", json.GetProperty("base").GetProperty("ref").GetString());
        Assert.Equal(repo.RevParse("main"), json.GetProperty("base").GetProperty("sha").GetString());
        Assert.Equal(("feature", shas[3]), (json.GetProperty("head").GetProperty("ref").GetString(), json.GetProperty("head").GetProperty("sha").GetString()));

        var commits = json.GetProperty("commits").EnumerateArray().ToList();
        Assert.Equal(shas, commits.Select(c => c.GetProperty("sha").GetString()));
        Assert.Equal(["Add human class", "Add parser", "Fix null check in parser", "Bump left-pad from 1.2.0 to 1.3.0"],
            commits.Select(c => c.GetProperty("subject").GetString()));

        var (human, claude, copilot, dependabot) = (commits[0], commits[1], commits[2], commits[3]);
        Assert.Equal("human", human.GetProperty("kind").GetString());
        Assert.Empty(Strings(human.GetProperty("agents")));
        Assert.Empty(human.GetProperty("evidence").EnumerateArray());
        Assert.Equal("Alice <alice@example.com>", human.GetProperty("author").GetString());

        Assert.Equal("ai-assisted", claude.GetProperty("kind").GetString());
        Assert.Equal(["claude-code"], Strings(claude.GetProperty("agents")));
        var claudeEvidence = claude.GetProperty("evidence").EnumerateArray().ToList();
        Assert.Contains(claudeEvidence, e => e.GetProperty("agent").GetString() == "claude-code"
            && e.GetProperty("matched").GetString()!.Contains("noreply@anthropic.com", StringComparison.Ordinal));
        Assert.Equal("Co-authored-by", claude.GetProperty("trailers")[0].GetProperty("key").GetString());

        Assert.Equal("ai-authored", copilot.GetProperty("kind").GetString());
        Assert.Equal(["copilot-coding-agent"], Strings(copilot.GetProperty("agents")));
        Assert.Contains(copilot.GetProperty("evidence").EnumerateArray(),
            e => e.GetProperty("location").GetString()!.Contains("author", StringComparison.Ordinal));

        Assert.Equal("automation", dependabot.GetProperty("kind").GetString());
        Assert.Empty(Strings(dependabot.GetProperty("agents")));
        Assert.Contains(dependabot.GetProperty("evidence").EnumerateArray(), e => e.GetProperty("agent").GetString() == "dependabot");

        foreach (var commit in commits)
        {
            Assert.Contains(commit.GetProperty("confidence").GetString(), new[] { "low", "medium", "high" });
            Assert.True(commit.TryGetProperty("initiator", out _));
        }

        // The range is the most AI-involved kind among its commits: an agent cannot hide behind human commits.
        var overall = json.GetProperty("authorship");
        Assert.Equal("ai-authored", overall.GetProperty("kind").GetString());
        Assert.Equal(["claude-code", "copilot-coding-agent"], Strings(overall.GetProperty("agents")));
        Assert.NotEqual("", overall.GetProperty("reason").GetString());
        var allCommitSignals = commits.SelectMany(c => c.GetProperty("evidence").EnumerateArray()).Select(e => e.GetProperty("signal").GetString()).ToHashSet();
        Assert.Superset(allCommitSignals, overall.GetProperty("evidence").EnumerateArray().Select(e => e.GetProperty("signal").GetString()).ToHashSet());
        var strength = overall.GetProperty("evidence")[0].GetProperty("strength").GetString();
        Assert.Contains(strength, new[] { "weak", "medium", "strong" });
    }

    [Fact]
    public void A_range_of_only_automation_is_automation_and_only_human_is_human()
    {
        var (repo, shas) = MixedHistory();
        using var owner = repo;

        var bot = ClassifyJson(repo, $"{shas[2]}..{shas[3]}");
        Assert.Equal("automation", bot.GetProperty("authorship").GetProperty("kind").GetString());
        Assert.Empty(Strings(bot.GetProperty("authorship").GetProperty("agents")));

        var human = ClassifyJson(repo, $"main..{shas[0]}");
        Assert.Equal("human", human.GetProperty("authorship").GetProperty("kind").GetString());
        Assert.Equal(shas[0], Assert.Single(human.GetProperty("commits").EnumerateArray()).GetProperty("sha").GetString());
    }

    [Fact]
    public void Empty_range_is_success_with_no_commits()
    {
        using var repo = TwoBranches();
        var json = ClassifyJson(repo, "feature..main");
        Assert.Empty(json.GetProperty("commits").EnumerateArray());
        Assert.Equal("human", json.GetProperty("authorship").GetProperty("kind").GetString());
    }

    [Fact]
    public void Text_output_is_a_table_per_commit_with_evidence_and_the_overall_verdict()
    {
        var (repo, shas) = MixedHistory();
        using var owner = repo;
        var (exit, stdout, stderr) = Run("classify", "--repo", repo.Path, "--range", "main..feature");

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        var lines = stdout.Split('\n');
        Assert.StartsWith("Range main..feature: main ", lines[0]);
        Assert.EndsWith(", 4 commits", lines[0]);
        Assert.Matches(@"^COMMIT\s+KIND\s+CONFIDENCE\s+AGENTS\s+INITIATOR\s+SUBJECT$", lines[2]);
        Assert.Matches($@"^{shas[1][..7]}\s+ai-assisted\s+\w+\s+claude-code\s+.*Add parser$", stdout.Split('\n').Single(l => l.StartsWith(shas[1][..7], StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("    - ", StringComparison.Ordinal) && l.Contains("noreply@anthropic.com", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Overall: ai-authored (", StringComparison.Ordinal) && l.Contains("agents: claude-code, copilot-coding-agent", StringComparison.Ordinal));
    }

    [Fact]
    public void Bare_repositories_work()
    {
        var (repo, _) = MixedHistory();
        using var owner = repo;
        var bare = repo.CloneBare();
        var json = ClassifyJson(bare, "main..feature");
        Assert.Equal(4, json.GetProperty("commits").GetArrayLength());
    }

    private static GitRepoBuilder WithBaseRules(string rules)
    {
        var repo = GitRepoBuilder.Init();
        repo.Write(".github/reviewbot.yml", rules);
        repo.Commit("Add rules", Alice);
        repo.CreateBranch("feature", checkout: true);
        repo.Write("src/Generated.cs", "class Generated {}\n");
        repo.Commit("Generated change", new GitIdentity("Acme Agent", "agent@acme.example"));
        return repo;
    }

    [Fact]
    public void Agents_declared_in_the_base_rules_file_extend_the_signals()
    {
        using var repo = WithBaseRules("version: 1\nagents:\n  emails: [agent@acme.example]\nrules: []\n");
        var json = ClassifyJson(repo, "main..feature");

        Assert.Equal("ai-authored", json.GetProperty("authorship").GetProperty("kind").GetString());
        var rules = json.GetProperty("rules");
        Assert.Equal((".github/reviewbot.yml", "base"), (rules.GetProperty("path").GetString(), rules.GetProperty("origin").GetString()));
        Assert.Equal(repo.Git("rev-parse", "main:.github/reviewbot.yml").Trim(), rules.GetProperty("revision").GetString());
    }

    [Fact]
    public void Rules_added_on_the_head_do_not_count_and_none_at_base_means_built_in_signals_only()
    {
        using var repo = GitRepoBuilder.Init();
        repo.Write("README.md", "x\n");
        repo.Commit("Initial", Alice);
        repo.CreateBranch("feature", checkout: true);
        repo.Write(".github/reviewbot.yml", "version: 1\nagents:\n  emails: [agent@acme.example]\nrules: []\n");
        repo.Commit("Generated change", new GitIdentity("Acme Agent", "agent@acme.example"));

        var json = ClassifyJson(repo, "main..feature");
        Assert.Equal("human", json.GetProperty("authorship").GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("rules").ValueKind);
    }

    [Fact]
    public void Rules_file_option_overrides_the_base_and_invalid_rules_are_exit_2_with_positions()
    {
        using var repo = WithBaseRules("version: 1\nagents:\n  emails: [someone-else@acme.example]\nrules: []\n");
        var file = Path.Combine(Path.GetTempPath(), $"reviewbot-rules-{Guid.NewGuid():N}.yml");
        try
        {
            File.WriteAllText(file, "version: 1\nagents:\n  emails: [agent@acme.example]\nrules: []\n");
            var (exit, stdout, stderr) = Run("classify", "--repo", repo.Path, "--range", "main..feature", "--rules", file, "--format", "json");
            Assert.True(exit == 0, stderr);
            var json = JsonDocument.Parse(stdout).RootElement;
            Assert.Equal("ai-authored", json.GetProperty("authorship").GetProperty("kind").GetString());
            Assert.Equal("file", json.GetProperty("rules").GetProperty("origin").GetString());

            File.WriteAllText(file, "version: 1\nagents:\n  emailz: [agent@acme.example]\nrules: []\n");
            (exit, stdout, stderr) = Run("classify", "--repo", repo.Path, "--range", "main..feature", "--rules", file);
            Assert.Equal(2, exit);
            Assert.Equal("", stdout);
            Assert.StartsWith($"{file}:3:3: ", stderr);

            (exit, _, stderr) = Run("classify", "--repo", repo.Path, "--range", "main..feature", "--rules", file + ".missing");
            Assert.Equal(2, exit);
            Assert.StartsWith("reviewbot: rules file not found: ", stderr);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Json_property_names_are_the_documented_ones()
    {
        var (repo, _) = MixedHistory();
        using var owner = repo;
        var json = ClassifyJson(repo, "main..feature");

        static string[] Names(JsonElement e) => [.. e.EnumerateObject().Select(p => p.Name)];
        Assert.Equal(["range", "repository", "base", "head", "commits", "authorship", "rules"], Names(json));
        Assert.Equal(["ref", "sha"], Names(json.GetProperty("base")));
        Assert.Equal(["sha", "subject", "author", "committer", "parents", "trailers", "kind", "agents", "initiator", "confidence", "evidence"],
            Names(json.GetProperty("commits")[1]));
        Assert.Equal(["key", "value"], Names(json.GetProperty("commits")[1].GetProperty("trailers")[0]));
        Assert.Equal(["signal", "agent", "location", "matched", "strength", "implies", "note"],
            Names(json.GetProperty("commits")[1].GetProperty("evidence")[0]));
        Assert.Equal(["kind", "agents", "initiator", "confidence", "reason", "evidence"], Names(json.GetProperty("authorship")));
    }

    [Fact]
    public void The_real_executable_exits_2_with_one_line_and_0_with_json()
    {
        var (repo, _) = MixedHistory();
        using var owner = repo;
        var dll = Path.Combine(AppContext.BaseDirectory, "reviewbot.dll");

        var (exit, stdout, stderr) = RunProcess(dll, "classify", "--repo", repo.Path, "--range", "main..nope");
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.StartsWith("reviewbot: unknown revision 'nope' in ", line);
        Assert.EndsWith(": no branch, tag or commit has that name", line);

        (exit, stdout, stderr) = RunProcess(dll, "classify", "--repo", repo.Path, "--range", "main..feature", "--format", "json");
        Assert.True(exit == 0, stderr);
        Assert.Equal("ai-authored", JsonDocument.Parse(stdout).RootElement.GetProperty("authorship").GetProperty("kind").GetString());
    }

    private static (int Exit, string Out, string Err) RunProcess(string dll, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "reviewbot did not exit");
        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    [Fact]
    public void A_commit_identity_is_not_counted_again_as_a_pull_request_author()
    {
        var (repo, shas) = MixedHistory();
        using var owner = repo;
        var json = ClassifyJson(repo, $"{shas[1]}..{shas[2]}");

        var commitEvidence = Assert.Single(json.GetProperty("commits").EnumerateArray()).GetProperty("evidence").GetArrayLength();
        Assert.Equal(commitEvidence, json.GetProperty("authorship").GetProperty("evidence").GetArrayLength());
        Assert.DoesNotContain(json.GetProperty("authorship").GetProperty("evidence").EnumerateArray(),
            e => e.GetProperty("location").GetString() == "pr.author");
    }
}
