using System.Text.Json;
using ReviewBot.TestSupport;

namespace ReviewBot.Cli.Tests;

/// <summary><c>reviewbot check</c> end to end on real git repositories created by the tests.</summary>
public sealed class CheckCommandTests : IDisposable
{
    private const string RulesPath = ".github/reviewbot.yml";

    private const string Rules = """
        version: 1
        groups:
          seniors: { users: [alice], teams: [acme/senior-engineers] }
        defaults:
          invalidate_on_push: true
        rules:
          - name: AI changes need a senior
            if: { authorship: [ai-authored, ai-assisted] }
            require:
              approvals: [{ group: seniors, count: 1 }]
            labels: [ai-change]
        """;

    private static readonly GitIdentity Agent = new("copilot-swe-agent[bot]", "198982749+Copilot@users.noreply.github.com");

    private readonly GitRepoBuilder _repo = GitRepoBuilder.Init();

    public CheckCommandTests()
    {
        _repo.Write("src/App.cs", "class App { }\n");
        _repo.Write(RulesPath, Rules);
        _repo.Commit("Initial");
        _repo.CreateBranch("feature", checkout: true);
    }

    public void Dispose() => _repo.Dispose();

    private (int Exit, string Out, string Err) Check(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = CliRunner.Run(CliApp.BuildRoot(), ["check", "--repo", _repo.Path, "--base", "main", "--head", "feature", .. args], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private void CommitAgentChange()
    {
        _repo.Write("src/App.cs", "class App { void Run() { } }\n");
        _repo.Commit("Add Run", Agent);
    }

    /// <summary>Runs check with a rules file whose line 4 column 5 holds an unknown key.</summary>
    private (int Exit, string Out, string Err) CheckWithBadRules(params string[] args)
    {
        var path = Path.Combine(_repo.Path, "bad.yml");
        File.WriteAllText(path, "version: 1\nrules:\n  - name: x\n    requier: { checks: [build] }\n");
        return Check(["--rules", path, .. args]);
    }

    [Fact]
    public void An_ai_authored_change_needs_a_senior_exit_1_and_the_json_says_why()
    {
        CommitAgentChange();

        var (exit, output, error) = Check("--format", "json");

        Assert.True(exit == 1, error + output);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("pending", root.GetProperty("decision").GetProperty("state").GetString());
        Assert.Equal("action-required", root.GetProperty("decision").GetProperty("outcome").GetString());
        Assert.Equal("Needs 1 approval from group seniors", root.GetProperty("decision").GetProperty("title").GetString());
        Assert.Equal("ai-authored", root.GetProperty("authorship").GetProperty("kind").GetString());
        Assert.NotEmpty(root.GetProperty("authorship").GetProperty("agents").EnumerateArray());
        var evidence = root.GetProperty("authorship").GetProperty("evidence").EnumerateArray().ToList();
        Assert.Contains(evidence, e => e.GetProperty("matched").GetString()!.Contains("198982749+Copilot", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("none", root.GetProperty("risk").GetProperty("level").GetString());
        Assert.Equal(JsonValueKind.Array, root.GetProperty("risk").GetProperty("findings").ValueKind);
        Assert.Equal(1, root.GetProperty("risk").GetProperty("metrics").GetProperty("files").GetInt32());
        var rule = Assert.Single(root.GetProperty("rules").EnumerateArray());
        Assert.Equal("AI changes need a senior", rule.GetProperty("name").GetString());
        Assert.True(rule.GetProperty("applied").GetBoolean());
        Assert.Contains("ai-authored", rule.GetProperty("reason").GetString());
        var approval = Assert.Single(root.GetProperty("requirements").GetProperty("approvals").EnumerateArray());
        Assert.Equal("group seniors", approval.GetProperty("from").GetString());
        Assert.Equal(1, approval.GetProperty("missing").GetInt32());
        Assert.False(approval.GetProperty("satisfied").GetBoolean());
        Assert.Empty(root.GetProperty("requirements").GetProperty("checks").EnumerateArray());
        Assert.Equal(["ai-change"], root.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(["alice"], root.GetProperty("reviewersToRequest").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal("base", root.GetProperty("rulesSource").GetProperty("origin").GetString());
        Assert.Equal(_repo.RevParse("feature"), root.GetProperty("head").GetProperty("sha").GetString());
        Assert.Contains(root.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("teams are not resolved", StringComparison.Ordinal));
    }

    [Fact]
    public void A_human_change_passes_with_exit_0()
    {
        _repo.Write("src/App.cs", "class App { void Run() { } }\n");
        _repo.Commit("Add Run", new GitIdentity("Dana Dev", "dana@acme.example"));

        var (exit, output, error) = Check();

        Assert.True(exit == 0, error + output);
        Assert.Contains("ReviewBot: PASS: No rule applies to this change", output);
        Assert.Contains("[--] AI changes need a senior: skipped (repository): ", output);
        Assert.Contains("Rules: .github/reviewbot.yml (base)", output);
    }

    [Fact]
    public void Bad_rules_exit_2_with_file_line_column_messages()
    {
        var (exit, output, error) = CheckWithBadRules();

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Matches(@"bad\.yml:4:5: .*requier", error);
    }

    [Fact]
    public void Bad_rules_at_the_base_ref_exit_2()
    {
        _repo.Checkout("main");
        _repo.Write(RulesPath, "version: 1\nrules:\n  - name: x\n    if: { risk: \"=> high\" }\n    labels: [risky]\n");
        _repo.Commit("Break the rules");
        _repo.Checkout("feature");

        var (exit, _, error) = Check();

        Assert.Equal(2, exit);
        Assert.Matches(@"(?m)^\.github/reviewbot\.yml:4:17: bad risk comparison '=> high'", error);
    }

    [Fact]
    public void An_unknown_ref_exits_2()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = CliRunner.Run(CliApp.BuildRoot(), ["check", "--repo", _repo.Path, "--base", "main", "--head", "no-such-branch"], stdout, stderr);

        Assert.Equal(2, exit);
        Assert.Contains("no-such-branch", stderr.ToString());
    }

    [Fact]
    public void A_directory_that_is_not_a_repository_exits_2()
    {
        var empty = Directory.CreateTempSubdirectory("reviewbot-check-").FullName;
        try
        {
            using var stderr = new StringWriter();

            var exit = CliRunner.Run(CliApp.BuildRoot(), ["check", "--repo", empty, "--base", "main"], new StringWriter(), stderr);

            Assert.Equal(2, exit);
            Assert.Contains("not a git repository", stderr.ToString());
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public void Without_a_rules_file_the_built_in_default_policy_is_used_and_said()
    {
        using var repo = GitRepoBuilder.Init();
        repo.Write("README.md", "hello\n");
        repo.Commit("Initial");
        repo.CreateBranch("feature", checkout: true);
        repo.Write("README.md", "hello world\n");
        repo.Commit("Edit", Agent);
        using var stdout = new StringWriter();

        var exit = CliRunner.Run(CliApp.BuildRoot(), ["check", "--repo", repo.Path, "--base", "main", "--head", "feature", "--format", "json"], stdout, new StringWriter());

        Assert.InRange(exit, 0, 1);
        using var json = JsonDocument.Parse(stdout.ToString());
        Assert.Equal("built-in", json.RootElement.GetProperty("rulesSource").GetProperty("origin").GetString());
        Assert.Contains(json.RootElement.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("built-in default policy", StringComparison.Ordinal));
    }

    [Fact]
    public void A_change_that_breaks_the_rules_file_fails_with_its_errors_shown()
    {
        _repo.Write(RulesPath, Rules.Replace("count: 1", "count: many", StringComparison.Ordinal));
        _repo.Commit("Loosen the rules", new GitIdentity("Dana Dev", "dana@acme.example"));

        var (exit, output, error) = Check("--format", "json");

        Assert.True(exit == 1, error + output);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("fail", json.RootElement.GetProperty("decision").GetProperty("state").GetString());
        var headError = Assert.Single(json.RootElement.GetProperty("headRulesErrors").EnumerateArray());
        Assert.Equal(10, headError.GetProperty("line").GetInt32());
        Assert.StartsWith(".github/reviewbot.yml:10:", headError.GetProperty("text").GetString());
    }

    [Fact]
    public void A_change_that_deletes_the_rules_file_is_still_gated_by_the_base_rules_and_says_so()
    {
        _repo.Delete(RulesPath);
        _repo.Commit("Drop the rules", Agent);

        var (exit, output, error) = Check();

        Assert.True(exit == 1, error + output);
        Assert.Contains("Note: this change removes .github/reviewbot.yml", output);
        Assert.Contains("ReviewBot: PENDING: Needs 1 approval from group seniors", output);
    }

    [Fact]
    public void Markdown_output_is_the_check_summary()
    {
        CommitAgentChange();

        var (exit, output, _) = Check("--format", "markdown");

        Assert.Equal(1, exit);
        Assert.StartsWith("### ⏳ Needs 1 approval from group seniors", output);
        Assert.Contains("**Authorship**", output);
        Assert.Contains("**Risk**", output);
    }

    [Fact]
    public void Bad_rules_with_json_still_print_the_report_with_the_errors()
    {
        var (exit, output, _) = CheckWithBadRules("--format", "json");

        Assert.Equal(2, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("fail", json.RootElement.GetProperty("decision").GetProperty("state").GetString());
        var error = Assert.Single(json.RootElement.GetProperty("errors").EnumerateArray(), e => e.GetProperty("line").GetInt32() == 4);
        Assert.Equal(5, error.GetProperty("column").GetInt32());
    }

    [Fact]
    public void Every_json_property_is_documented_and_the_top_level_is_pinned()
    {
        CommitAgentChange();
        var (_, output, _) = Check("--format", "json");
        using var json = JsonDocument.Parse(output);
        var docs = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "check-output.md"));

        Assert.Equal(
            ["schemaVersion", "repository", "base", "head", "rulesSource", "organisationRulesSource", "notes", "decision", "authorship", "risk", "rules", "requirements",
             "blocks", "labels", "reviewersToRequest", "teamsToRequest", "errors", "headRulesErrors"],
            json.RootElement.EnumerateObject().Select(p => p.Name));
        // Documented: the name is a segment of some `dotted.path[]` in the reference.
        var segments = System.Text.RegularExpressions.Regex.Matches(docs, "`([A-Za-z.\\[\\]]+)`")
            .SelectMany(m => m.Groups[1].Value.Replace("[]", "", StringComparison.Ordinal).Split('.'))
            .ToHashSet(StringComparer.Ordinal);
        var undocumented = Names(json.RootElement).Distinct().Where(n => !segments.Contains(n)).ToList();
        Assert.Empty(undocumented);
    }

    private static IEnumerable<string> Names(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Names(p.Value).Prepend(p.Name)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Names),
        _ => [],
    };
}
