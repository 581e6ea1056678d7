using System.Text.Json;
using ReviewBot.TestSupport;

namespace ReviewBot.Cli.Tests;

/// <summary>
/// The organisation layer and the built-in policy through the CLI, on real git repositories: <c>check --org-rules</c>
/// applies the organisation's rules under a repository's file and names the layer; <c>validate --org-rules</c> and
/// <c>check</c> refuse, with positions, what a repository's file may not do.
/// </summary>
public sealed class OrganisationLayerCommandTests : IDisposable
{
    private const string RulesPath = ".github/reviewbot.yml";

    private const string OrgRules = """
        version: 1
        groups:
          reviewers: { users: [olga, oscar] }
        rules:
          - name: AI changes need a reviewer
            if: { authorship: [ai-authored, ai-assisted] }
            require:
              approvals: [{ group: reviewers, count: 1 }]
        """;

    /// <summary>A repository file that redefines an organisation group, marks an agent as automation and disables a risk rule.</summary>
    private const string LooseningRules = """
        version: 1
        groups:
          reviewers: { users: [mallory] }
        agents:
          automation_logins: [acme-agent]
        risk:
          disabled: [RB2001]
        rules: []
        """;

    private static readonly GitIdentity Bob = new("Bob Builder", "bob@example.com");

    private readonly GitRepoBuilder _repo = GitRepoBuilder.Init();
    private readonly string _org;

    public OrganisationLayerCommandTests()
    {
        _org = Path.Combine(Directory.CreateTempSubdirectory("reviewbot-org-").FullName, "org.yml");
        File.WriteAllText(_org, OrgRules);
    }

    public void Dispose()
    {
        _repo.Dispose();
        Directory.Delete(Path.GetDirectoryName(_org)!, recursive: true);
    }

    /// <summary>main holds <paramref name="rules"/> (none when null); feature adds a commit Bob wrote with Claude Code.</summary>
    private void ClaudeCodeCoAuthoredChange(string? rules)
    {
        _repo.Write("src/App.cs", "class App { }\n");
        if (rules is not null)
        {
            _repo.Write(RulesPath, rules);
        }

        _repo.Commit("Initial");
        _repo.CreateBranch("feature", checkout: true);
        _repo.Write("src/App.cs", "class App { int Count(string s) => s.Length; }\n");
        _repo.Commit("Add Count\n\nCo-authored-by: Claude <noreply@anthropic.com>\n", Bob);
    }

    private static (int Exit, string Out, string Err) Cli(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = CliRunner.Run(CliApp.BuildRoot(), args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private (int Exit, string Out, string Err) Check(params string[] args)
        => Cli(["check", "--repo", _repo.Path, "--base", "main", "--head", "feature", .. args]);

    [Fact]
    public void Check_with_org_rules_applies_the_organisation_s_requirement_under_a_repository_file_without_rules_and_names_its_layer()
    {
        ClaudeCodeCoAuthoredChange("version: 1\nrules: []\n");

        var (exit, output, error) = Check("--org-rules", _org, "--format", "json");
        var (_, text, _) = Check("--org-rules", _org);

        Assert.True(exit == 1, error + output);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("pending", root.GetProperty("decision").GetProperty("state").GetString());
        Assert.Equal("Needs 1 approval from group reviewers", root.GetProperty("decision").GetProperty("title").GetString());
        var rule = Assert.Single(root.GetProperty("rules").EnumerateArray());
        Assert.Equal(("AI changes need a reviewer", "organisation", "enforce"), (rule.GetProperty("name").GetString(), rule.GetProperty("layer").GetString(), rule.GetProperty("mode").GetString()));
        Assert.Equal("organisation", root.GetProperty("organisationRulesSource").GetProperty("origin").GetString());
        Assert.Equal(RulesPath, root.GetProperty("rulesSource").GetProperty("path").GetString());
        Assert.Contains("[ok] AI changes need a reviewer: applied (organisation): authorship is ai-assisted", text, StringComparison.Ordinal);
        Assert.Contains($"Note: the organisation's rules ({_org}) apply; the repository's ({RulesPath}) add to them", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_with_org_rules_alone_applies_them_when_the_repository_has_no_file()
    {
        ClaudeCodeCoAuthoredChange(rules: null);

        var (exit, output, error) = Check("--org-rules", _org);

        Assert.True(exit == 1, error + output);
        Assert.Contains($"Note: no rules file at the base ref: the organisation's rules ({_org}) apply alone", output, StringComparison.Ordinal);
        Assert.Contains("AI changes need a reviewer: applied (organisation)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("built-in", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_with_org_rules_refuses_what_would_loosen_the_organisation_s_policy_with_positions()
    {
        var repository = Path.Combine(Path.GetDirectoryName(_org)!, "repo.yml");
        File.WriteAllText(repository, LooseningRules);

        var (exit, output, error) = Cli("validate", "--org-rules", _org, repository);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal(
            [
                $"{repository}:3:3: group 'reviewers' is the organisation's ({_org}:3:3); a repository may add groups but not redefine the organisation's: use it as it is, or define a group with another name",
                $"{repository}:5:3: 'agents.automation_logins': a repository may add agent recognition (logins, emails, trailers, branch_prefixes, labels) but not mark accounts as automation; that is the organisation's to say",
                $"{repository}:7:14: disabling risk rule RB2001 is refused: the organisation's rules run it; a repository may only tighten risk (it may re-enable rules the organisation disabled)",
            ],
            error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));

        // On its own the same file is valid: the refusals come from the organisation layer.
        Assert.Equal(0, Cli("validate", repository).Exit);
    }

    [Fact]
    public void Validate_with_org_rules_accepts_additions_that_use_the_organisation_s_groups()
    {
        var repository = Path.Combine(Path.GetDirectoryName(_org)!, "repo.yml");
        File.WriteAllText(repository, "version: 1\ngroups:\n  qa: { users: [quinn] }\nrules:\n  - name: UI changes need QA and a reviewer\n    if: { paths: [\"ui/**\"] }\n    require:\n      approvals: [{ group: qa }, { group: reviewers }]\n");

        var (exit, output, error) = Cli("validate", "--org-rules", _org, repository);

        Assert.True(exit == 0, error);
        Assert.Equal($"{repository}: valid (under {_org}: adds 1 rule and 1 group to the organisation's 1 rule)" + Environment.NewLine, output);
    }

    [Fact]
    public void Check_fails_closed_and_says_why_when_the_repository_file_loosens_the_organisation_s()
    {
        ClaudeCodeCoAuthoredChange(LooseningRules);

        var (exit, output, error) = Check("--org-rules", _org, "--format", "json");

        Assert.Equal(2, exit);
        Assert.Contains($"{RulesPath}:3:3: group 'reviewers' is the organisation's", error, StringComparison.Ordinal);
        Assert.Contains("reviewbot: 3 error(s) in the rules", error, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("fail", json.RootElement.GetProperty("decision").GetProperty("state").GetString());
        Assert.Equal([3, 5, 7], json.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("line").GetInt32()));
    }

    [Fact]
    public void Under_the_built_in_policy_a_claude_code_co_authored_change_is_pending_for_an_independent_human()
    {
        ClaudeCodeCoAuthoredChange(rules: null);

        var (exit, output, error) = Check("--format", "json");

        Assert.True(exit == 1, error + output);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("ai-assisted", root.GetProperty("authorship").GetProperty("kind").GetString());
        Assert.Contains("claude-code", root.GetProperty("authorship").GetProperty("agents").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("pending", root.GetProperty("decision").GetProperty("state").GetString());
        Assert.Equal("Needs 1 approval from group reviewers (any reviewer)", root.GetProperty("decision").GetProperty("title").GetString());
        var applied = root.GetProperty("rules").EnumerateArray().Where(r => r.GetProperty("applied").GetBoolean()).ToList();
        Assert.Equal(["AI-assisted changes need a human approval"], applied.Select(r => r.GetProperty("name").GetString()));
        Assert.All(root.GetProperty("rules").EnumerateArray(), r => Assert.Equal("built-in", r.GetProperty("layer").GetString()));
        var approval = Assert.Single(root.GetProperty("requirements").GetProperty("approvals").EnumerateArray());
        Assert.Equal((1, 0), (approval.GetProperty("required").GetInt32(), approval.GetProperty("approved").GetInt32()));
    }
}
