using ReviewBot.Core.Authorship;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Risk;
using static ReviewBot.Core.Tests.Policy.PolicyContexts;

namespace ReviewBot.Core.Tests.Policy;

public sealed class RulesParserTests
{
    internal const string IssueSketch = """
        version: 1
        groups:
          seniors:  { teams: [acme/senior-engineers], users: [alice] }
          security: { teams: [acme/appsec] }
        agents:
          logins: ["acme-agent[bot]"]
          trailers: ["Generated-by: acme-agent"]
        defaults:
          invalidate_on_push: true      # approvals must be for the current head
          author_can_approve: false
          initiator_can_approve: false  # the human who dispatched the agent
        rules:
          - name: AI changes need a senior
            if: { authorship: [ai-authored, ai-assisted] }
            require:
              approvals: [{ group: seniors, count: 1 }]
              checks: [build, test]
          - name: risky AI changes need security
            if: { all: [{ authorship: ai-authored }, { risk: ">= high" }] }
            require: { approvals: [{ group: security, count: 1 }] }
          - name: agents may not edit workflows
            if: { authorship: ai-authored, paths: [".github/workflows/**"] }
            block: AI agents may not change CI workflows
          - name: changes to these rules
            if: { paths: [".github/reviewbot.yml"] }
            require: { approvals: [{ group: seniors, count: 2 }] }
        """;

    private static RulesFile Valid(string yaml)
    {
        var result = RulesParser.Parse(yaml, "reviewbot.yml");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Rules!;
    }

    private static IReadOnlyList<string> Errors(string yaml)
    {
        var result = RulesParser.Parse(yaml, "r.yml");
        Assert.False(result.IsValid);
        Assert.Null(result.Rules);
        return result.Errors.Select(e => e.ToString()).ToList();
    }

    [Fact]
    public void Parses_the_issue_sketch()
    {
        var file = Valid(IssueSketch);

        Assert.Equal("reviewbot.yml", file.Path);
        Assert.Equal(2, file.Groups.Count);
        Assert.Equal(["alice"], file.Groups["seniors"].Users);
        Assert.Equal(["acme/senior-engineers"], file.Groups["Seniors"].Teams);
        Assert.Equal(new SourcePosition(3, 3), file.Groups["seniors"].Position);
        Assert.Equal(["acme-agent[bot]"], file.Agents.Logins);
        Assert.Equal(["Generated-by: acme-agent"], file.Agents.Trailers);
        Assert.Equal(PushInvalidation.AnyPush, file.Defaults.InvalidateOnPush);
        Assert.False(file.Defaults.AuthorCanApprove);
        Assert.False(file.Defaults.InitiatorCanApprove);
        Assert.Equal(4, file.Rules.Count);

        var senior = file.Rules[0];
        Assert.Equal("AI changes need a senior", senior.Name);
        Assert.Equal(new SourcePosition(13, 5), senior.Position);
        var authorship = Assert.IsType<AuthorshipCondition>(senior.If);
        Assert.Equal([AuthorshipKind.AiAuthored, AuthorshipKind.AiAssisted], authorship.Kinds);
        var approval = Assert.Single(senior.Require.Approvals);
        Assert.Equal("seniors", approval.Group);
        Assert.Equal(1, approval.Count);
        Assert.Equal(["build", "test"], senior.Require.Checks.Select(c => c.Pattern));

        var risky = Assert.IsType<AllCondition>(file.Rules[1].If);
        Assert.IsType<AuthorshipCondition>(risky.Conditions[0]);
        var risk = Assert.IsType<RiskCondition>(risky.Conditions[1]);
        Assert.Equal(new ValueComparison<RiskLevel>(ComparisonOperator.GreaterOrEqual, RiskLevel.High), risk.Comparison);

        var block = file.Rules[2];
        Assert.Equal("AI agents may not change CI workflows", block.Block);
        var both = Assert.IsType<AllCondition>(block.If);
        Assert.Equal(2, both.Conditions.Count);
        Assert.IsType<PathsCondition>(both.Conditions[1]);

        Assert.Equal(2, file.Rules[3].Require.Approvals[0].Count);
    }

    [Fact]
    public void Parsed_conditions_evaluate_with_reasons()
    {
        var file = Valid(IssueSketch);
        var context = Context(Pr(File(".github/workflows/ci.yml")), kind: AuthorshipKind.AiAuthored, risk: RiskLevel.Medium);

        Assert.Equal(new ConditionResult(true, "authorship is ai-authored"), file.Rules[0].If!.Evaluate(context));
        Assert.Equal(new ConditionResult(false, "risk is medium, not >= high"), file.Rules[1].If!.Evaluate(context));
        Assert.Equal(
            new ConditionResult(true, "authorship is ai-authored; and .github/workflows/ci.yml matches .github/workflows/**"),
            file.Rules[2].If!.Evaluate(context));
        Assert.False(file.Rules[3].If!.Evaluate(context).Matched);
    }

    [Fact]
    public void Unknown_key_names_the_allowed_keys_with_line_and_column()
    {
        var errors = Errors("""
            version: 1
            rules:
              - name: x
                reqiure: { checks: [build] }
            """);
        Assert.Equal(
            [
                "r.yml:3:5: rule 'x' does nothing; give it 'require', 'block', 'labels' or 'request'",
                "r.yml:4:5: unknown key 'reqiure' in rule; allowed: name, if, require, block, labels, request, mode, escalate (did you mean 'require'?)",
            ],
            errors);
    }

    [Fact]
    public void Reports_every_error_at_once_in_file_order()
    {
        var errors = Errors("""
            version: 2
            groups:
              seniors: { users: [alice], teamz: [acme/x] }
            defaults:
              author_can_approve: maybe
            rules:
              - name: one
                if: { authorship: robot, risk: ">> high", changed_lines: "> lots" }
                require:
                  approvals: [{ group: juniors }, { users: [bob], count: 2 }]
                  checks: ["test-unit"]
              - name: one
                if: { paths: ["src/{a,b"], draft: yes }
                labels: [ai]
            """);
        Assert.Equal(
            [
                "r.yml:1:10: 'version' must be 1; got '2'",
                "r.yml:3:30: unknown key 'teamz' in group 'seniors'; allowed: users, teams, anyone (did you mean 'teams'?)",
                "r.yml:5:23: 'author_can_approve' must be true or false; got 'maybe'",
                "r.yml:8:23: unknown authorship 'robot'; allowed: human, ai-assisted, ai-authored, automation",
                "r.yml:8:36: bad risk comparison '>> high'; write an operator (>=, <=, ==, !=, >, <) and a level (none, low, medium, high, critical), e.g. \">= high\" (did you mean 'high'?)",
                "r.yml:8:62: bad comparison '> lots' for 'changed_lines'; write an operator (>=, <=, ==, !=, >, <) and a whole number, e.g. \"> 500\"",
                "r.yml:10:28: undefined group 'juniors'; defined: seniors",
                "r.yml:10:62: count 2 can never be reached: the approval lists 1 user(s) and no teams",
                "r.yml:12:5: duplicate rule name 'one' (first at line 7); rule names must be unique",
                "r.yml:13:19: bad glob in 'paths': unclosed '{' in glob 'src/{a,b'",
                "r.yml:13:39: 'draft' must be true or false; got 'yes'",
            ],
            errors);
    }

    [Fact]
    public void Missing_version_and_rules_are_reported_at_the_top()
    {
        Assert.Equal(
            ["r.yml:1:1: missing 'version: 1' at the top level", "r.yml:1:1: missing 'rules:' at the top level (a list of rules; see rules/README.md)"],
            Errors("groups: { a: { users: [x] } }\n"));
    }

    [Fact]
    public void Checks_take_names_and_checks_pinned_to_an_app_or_the_pipeline()
    {
        var result = RulesParser.Parse("version: 1\nrules:\n  - name: x\n    require:\n      checks:\n        - lint\n        - { name: build, app: github-actions }\n        - { name: \"test-*\", source: pipeline }\n", "r.yml");

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var checks = Assert.Single(result.Rules!.Rules).Require.Checks;
        Assert.Equal([("lint", null, false, null), ("build", "github-actions", false, "app github-actions"), ("test-*", null, true, "source pipeline")],
            checks.Select(c => (c.Pattern, c.App, c.PipelineJob, c.Pin)));
        Assert.Equal((7, 11), (checks[1].Position.Line, checks[1].Position.Column));
    }

    [Theory]
    [InlineData("{ app: github-actions }", "r.yml:4:25: a check needs 'name' (the check's name or a glob)")]
    [InlineData("{ name: build, app: \"\" }", "r.yml:4:45: 'app' must not be empty")]
    [InlineData("{ name: build, source: ci }", "r.yml:4:48: unknown source 'ci'; allowed: pipeline (a job of the merge request's own pipeline, GitLab)")]
    [InlineData("{ name: build, app: x, source: pipeline }", "r.yml:4:25: give 'app' (a GitHub App's check runs) or 'source: pipeline' (GitLab pipeline jobs), not both")]
    [InlineData("{ name: build, slug: x }", "r.yml:4:40: unknown key 'slug' in a check; allowed: name, app, source")]
    [InlineData("[a]", "r.yml:4:25: each item of 'checks' must be a check name or { name: build, app: github-actions }; got a list")]
    public void Pinned_check_errors_are_positioned(string item, string error)
        => Assert.Equal([error], Errors($"version: 1\nrules:\n  - name: x\n    require: {{ checks: [{item}] }}\n"));

    [Theory]
    [InlineData("", "r.yml:1:1: the rules file is empty; it needs at least 'version: 1' and 'rules:'")]
    [InlineData("# only a comment\n", "r.yml:1:1: the rules file is empty; it needs at least 'version: 1' and 'rules:'")]
    [InlineData("- a\n- b\n", "r.yml:1:1: the rules file must be a mapping with keys version, groups, agents, defaults, risk, rules, overrides, capabilities; got a list")]
    [InlineData("version: 1\nrules: { name: x }\n", "r.yml:2:8: 'rules' must be a list of rules (each starting with '- name:'); got a mapping")]
    [InlineData("version: 1\nversion: 1\nrules: []\n", "r.yml:2:1: duplicate key 'version' (first at line 1)")]
    [InlineData("version: 1\nrules:\n  - name: x\n    if: [a]\n    labels: [y]\n", "r.yml:4:9: a condition must be a mapping like { authorship: ai-authored }; got a list (use 'all:' or 'any:' for lists)")]
    [InlineData("version: 1\nrules:\n  - name: x\n    if: {}\n    labels: [y]\n", "r.yml:4:9: empty condition; give one of: authorship, agents, risk, findings, paths, only_paths, target_branch, source_branch, labels, author, changed_lines, files, draft, initiator, initiator_groups, all, any, not")]
    [InlineData("version: 1\nrules:\n  - name: x\n    if: { all: {} }\n    labels: [y]\n", "r.yml:4:16: 'all' must be a non-empty list of conditions, e.g. all: [{ authorship: ai-authored }, { risk: \">= high\" }]; got a mapping")]
    [InlineData("version: 1\nrules:\n  - name: x\n    require: { approvals: [{ count: 1 }] }\n", "r.yml:4:28: approval needs 'group' (a name from 'groups:'), 'users'/'teams', or 'codeowners: true'")]
    [InlineData("version: 1\nrules:\n  - name: x\n    require: { approvals: [{ users: [a], count: 0 }] }\n", "r.yml:4:49: 'count' must be a whole number >= 1; got '0'")]
    [InlineData("version: 1\nrules:\n  - name: x\n    require: {}\n", "r.yml:4:14: 'require' is empty; give 'approvals' and/or 'checks'")]
    [InlineData("version: 1\nrules:\n  - name: x\n    block: \"\"\n", "r.yml:4:12: 'block' must not be empty")]
    [InlineData("version: 1\nrules:\n  - name: x\n    request: { teams: [seniors] }\n", "r.yml:4:24: team 'seniors' must be 'org/team' (GitHub) or a group's full path 'group/subgroup' (GitLab)")]
    [InlineData("version: 1\ngroups:\n  a: { anyone: true, users: [x] }\nrules: []\n", "r.yml:3:16: group 'a' sets 'anyone: true' and lists members; use one or the other")]
    [InlineData("version: 1\nrules:\n  - name: x\n    if: { author: { groups: [nobody] } }\n    labels: [y]\n", "r.yml:4:30: undefined group 'nobody'; no groups are defined (add them under 'groups:')")]
    [InlineData("version: 1\nrules:\n  - labels: [y]\n", "r.yml:3:5: rule has no 'name'")]
    [InlineData("version: 1\ngroups: { seniors: [alice] }\nrules: []\n", "r.yml:2:20: group 'seniors' (e.g. seniors: { users: [alice], teams: [org/team] }) must be a mapping (key: value); got a list")]
    [InlineData("version: 1\ngroups: { seniors: { users: [a] } }\nrules:\n  - name: x\n    require: { approvals: [seniors] }\n", "r.yml:5:28: an approval is a mapping: write { group: seniors, count: 1 }")]
    [InlineData("version: 1\nrules:\n  - name: x\n    require: { approvals: [bob] }\n", "r.yml:4:28: an approval (e.g. { group: seniors, count: 1 }) must be a mapping (key: value); got 'bob'")]
    [InlineData("version: 1\nrules:\n  - name: x\n    block: true\n", "r.yml:4:12: 'block' is the message shown while the rule blocks, e.g. block: AI agents may not change CI workflows; got a true/false value")]
    [InlineData("version: \"1\"\nrules: []\n", "r.yml:1:10: 'version' must be 1; got '1' (a quoted text; write the number: version: 1)")]
    [InlineData("version: 1\nrules:\n  - x\n", "r.yml:3:5: each rule (starting with '- name:') must be a mapping (key: value); got 'x'")]
    [InlineData("version: 1\ndefaults: []\nrules: []\n", "r.yml:2:11: 'defaults' must be a mapping (key: value); got a list")]
    [InlineData("version: 1\ngroups: { all: { anyone: true } }\nrules:\n  - name: x\n    if: { author: { groups: all } }\n    labels: [y]\n", "r.yml:5:29: group 'all' is 'anyone: true' (any reviewer), so it cannot name an author; list its users or teams")]
    [InlineData("version: 1\ngroups:\n  a: { users: [x] }\n  A: { users: [y] }\nrules: []\n", "r.yml:4:3: duplicate group name 'A' (names are case-insensitive)")]
    [InlineData("version: 1\ngroups:\n  a: {}\nrules: []\n", "r.yml:3:6: group 'a' has no members; give 'users' and/or 'teams' (or 'anyone: true')")]
    [InlineData("version: 1\ngroups:\n  a: { users: [\"acme/team\"] }\nrules: []\n", "r.yml:3:16: 'acme/team' is not a user login (letters, digits, '-', '_', '.', optional '[bot]'); teams go under 'teams'")]
    [InlineData("version: 1\nrisk: { disabled: [RB9999], severities: { RB1001: high } }\nrules: []\n", "r.yml:2:20: unknown risk rule 'RB9999'; known: RB1001, RB1002, ")]
    [InlineData("version: 1\nrisk: { thresholds: { complexty: 3 } }\nrules: []\n", "r.yml:2:23: unknown risk threshold 'complexty'; allowed: complexity, max_file_bytes, ")]
    [InlineData("version: 1\nrisk: { sensitive_paths: [src/**, \"!src/x/**\"] }\nrules: []\n", "r.yml:2:35: '!src/x/**': sensitive_paths takes no '!' exclusions; list only the sensitive paths")]
    [InlineData("version: 1\nrules:\n  - name: x\n    if: { findings: [cripto, \"RB9*\", RB3001] }\n    labels: [y]\n", "r.yml:4:22: unknown finding 'cripto'; give a risk rule id (RB1001...) or a category: ")]
    [InlineData("version: 1\nrisk: { thresholds: { complexity: high } }\nrules: []\n", "r.yml:2:35: threshold 'complexity' must be a number >= 0; got 'high'")]
    [InlineData("version: 1\nagents: { trailers: [\"bad key: x\"] }\nrules: []\n", "r.yml:2:22: trailer 'bad key: x' must be 'Key: value' or 'Key' (key of letters, digits and '-')")]
    [InlineData("version: 1\nrules:\n  - name: x\n    labels: []\n", "r.yml:4:13: 'labels' is an empty list; remove it or give at least one value")]
    [InlineData("version: 1\nrules: [\n", "invalid YAML")]
    [InlineData("version: 1\nrules:\n  - name: x\n    if: { authorship: AI-Authored }\n    labels: [y]\n", "r.yml:4:23: unknown authorship 'AI-Authored'; allowed: human, ai-assisted, ai-authored, automation (did you mean 'ai-authored'?)")]
    [InlineData("version: 1\nrules:\n  - name: x\n    if: { risk: \">= hihg\" }\n    labels: [y]\n", "r.yml:4:17: bad risk comparison '>= hihg'; write an operator (>=, <=, ==, !=, >, <) and a level (none, low, medium, high, critical), e.g. \">= high\" (did you mean 'high'?)")]
    [InlineData("version: 1\nrules:\n  - name: x\n    request: {}\n", "r.yml:4:14: 'request' is empty; give 'users' and/or 'teams'")]
    [InlineData("version: 1\ndefaults: { invalidate_on_push: when_diff_change }\nrules: []\n", "r.yml:2:33: 'invalidate_on_push' must be true, false or when_diff_changes; got 'when_diff_change' (did you mean 'when_diff_changes'?)")]
    [InlineData("version: 1\ndefaults: { exclude_last_pusher: yes }\nrules: []\n", "r.yml:2:34: 'exclude_last_pusher' must be true or false; got 'yes'")]
    [InlineData("version: 1\nrules:\n  - name: x\n    require: { approvals: [{ users: [a], bots_can_approve: 1 }] }\n", "r.yml:4:60: 'bots_can_approve' must be true or false; got '1'")]
    [InlineData("version: 1\n---\nrules: []\n", "r.yml:2:1: a rules file holds one YAML document; remove the '---' separator and what follows")]
    public void Single_errors_are_positioned(string yaml, string expected)
    {
        var errors = Errors(yaml);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    public void Positions_hold_for_crlf_files_and_a_byte_order_mark(string newline)
    {
        var yaml = "\uFEFFversion: 1" + newline + "rules:" + newline + "  - name: x" + newline + "    lables: [a]" + newline;
        var errors = RulesParser.Parse(yaml, "r.yml").Errors.Select(e => e.ToString());
        Assert.Equal(
            [
                "r.yml:3:5: rule 'x' does nothing; give it 'require', 'block', 'labels' or 'request'",
                "r.yml:4:5: unknown key 'lables' in rule; allowed: name, if, require, block, labels, request, mode, escalate (did you mean 'labels'?)",
            ],
            errors);
    }

    [Fact]
    public void Invalid_yaml_is_positioned()
    {
        var error = Assert.Single(RulesParser.Parse("version: 1\nrules:\n  - name: \"x\n", "r.yml").Errors);
        Assert.Equal(3, error.Line);
        Assert.StartsWith("invalid YAML: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Severity_error_names_allowed_values()
    {
        var errors = Errors("version: 1\nrisk: { severities: { RB1001: severe } }\nrules: []\n");
        Assert.Equal(["r.yml:2:31: unknown severity 'severe' for RB1001; allowed: info, low, medium, high, critical"], errors);
    }

    [Fact]
    public void Short_forms_and_all_sections_parse()
    {
        var file = Valid("""
            version: 1
            groups:
              platform: { teams: [acme/platform, acme/infra/platform] }
              everyone: { anyone: true }
            agents:
              logins: acme-agent[bot]
              emails: [agent@acme.dev]
              branch_prefixes: [acme-agent/]
              labels: [agent]
              automation_logins: ["acme-release[bot]"]
              automation_emails: [release@acme.dev]
            defaults: { commit_authors_can_approve: true, invalidate_on_push: false }
            risk:
              disabled: [rb1001]
              severities: { RB2002: critical }
              sensitive_paths: ["src/Auth/**"]
              thresholds: { complexity: 12, max_file_bytes: 1e6 }
              include_generated: true
            rules:
              - name: everything
                if:
                  any:
                    - { agents: "copilot-*", findings: RB1001 }
                    - not: { only_paths: ["docs/**", "!docs/secret/**"] }
                    - { target_branch: main, source_branch: "agent/*", labels: hotfix }
                    - { author: alice, changed_lines: 500, files: "<= 3", draft: false }
                    - author: { users: [bob], groups: [platform] }
                require:
                  approvals: { group: platform, count: 2 }
                  checks: "test-*"
                labels: ai-reviewed
                request: { users: [carol], teams: [acme/docs] }
            """);
        Assert.Equal(["acme/platform", "acme/infra/platform"], file.Groups["platform"].Teams);
        Assert.True(file.Groups["everyone"].Anyone);
        Assert.False(file.Groups["platform"].Anyone);
        Assert.Equal(["acme-agent[bot]"], file.Agents.Logins);
        Assert.Equal(["acme-agent/"], file.Agents.BranchPrefixes);
        Assert.Equal(["acme-release[bot]"], file.Agents.AutomationLogins);
        Assert.True(file.Defaults.CommitAuthorsCanApprove);
        Assert.Equal(PushInvalidation.Never, file.Defaults.InvalidateOnPush);
        Assert.Equal(["RB1001"], file.Risk.Disabled);
        Assert.Equal(Severity.Critical, file.Risk.Severities["RB2002"]);
        Assert.Equal(1_000_000, file.Risk.Thresholds["max_file_bytes"]);
        Assert.True(file.Risk.IncludeGenerated);
        var rule = Assert.Single(file.Rules);
        var any = Assert.IsType<AnyCondition>(rule.If);
        Assert.Equal(5, any.Conditions.Count);
        Assert.IsType<NotCondition>(any.Conditions[1]);
        var sized = Assert.IsType<AllCondition>(any.Conditions[3]);
        Assert.Equal(new ValueComparison<int>(ComparisonOperator.Equal, 500), Assert.IsType<ChangedLinesCondition>(sized.Conditions[1]).Comparison);
        Assert.Equal(new ValueComparison<int>(ComparisonOperator.LessOrEqual, 3), Assert.IsType<FilesCondition>(sized.Conditions[2]).Comparison);
        Assert.Equal(2, rule.Require.Approvals[0].Count);
        Assert.Equal(["test-*"], rule.Require.Checks.Select(c => c.Pattern));
        Assert.Equal(["ai-reviewed"], rule.Labels);
        Assert.Equal(["carol"], rule.RequestUsers);
        Assert.Equal(["acme/docs"], rule.RequestTeams);
    }

    [Fact]
    public void Parses_the_approval_integrity_keys()
    {
        var file = Valid("""
            version: 1
            defaults: { invalidate_on_push: when_diff_changes, exclude_last_pusher: true }
            rules:
              - name: bots may approve dependency bumps
                require: { approvals: [{ users: [renovate-approve], bots_can_approve: true }, { users: [alice] }] }
            """);

        Assert.Equal(PushInvalidation.WhenDiffChanges, file.Defaults.InvalidateOnPush);
        Assert.True(file.Defaults.ExcludeLastPusher);
        var approvals = Assert.Single(file.Rules).Require.Approvals;
        Assert.True(approvals[0].BotsCanApprove);
        Assert.False(approvals[1].BotsCanApprove);
    }
}

public sealed class YamlSyntaxErrorTests
{
    [Theory]
    [InlineData("version: 1\nrules:\n\t- name: x\n", "r.yml:3:1: a tab is used for indentation; YAML indents with spaces only")]
    [InlineData("version: 1\nrules:\n  - name: x\n    if: { risk: >= high }\n", "r.yml:4:17: invalid YAML: While scanning for the next token, found character that cannot start any token. (a value starting with '>' must be quoted: \">= high\")")]
    [InlineData("version: 1\nrules:\n  - name: x\n    labels: [a]\n    if: { paths: [*.cs] }\n", "r.yml:5:19: aliases (*.cs) are not allowed in rules files; write the value out (a glob starting with '*' must be quoted: \"*.cs\")")]
    [InlineData("version: 1\nrules:\n  - name: x\n   labels: [a]\n", "r.yml:4:4: invalid YAML: While parsing a block collection, did not find expected '-' indicator. (check the indentation and that every 'key: value' has a space after the colon)")]
    public void Syntax_errors_are_positioned_with_a_hint(string yaml, string expected)
    {
        Assert.Equal([expected], RulesParser.Parse(yaml, "r.yml").Errors.Select(e => e.ToString()));
    }
}
