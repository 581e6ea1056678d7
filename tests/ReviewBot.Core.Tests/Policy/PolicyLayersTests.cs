using ReviewBot.Core.Authorship;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Pipeline;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Ports;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;
using static ReviewBot.Core.Tests.Decisions.PolicyFixtures;

namespace ReviewBot.Core.Tests.Policy;

/// <summary>The organisation layer: the organisation's file always applies, a repository's file only adds (rules/README.md).</summary>
public sealed class PolicyLayersTests
{
    private const string Org = """
        version: 1
        groups:
          reviewers: { users: [olga, oscar] }
        agents:
          logins: [acme-agent]
        defaults:
          invalidate_on_push: when_diff_changes
          author_can_approve: false
          exclude_last_pusher: true
        risk:
          disabled: [RB6003, RB8002]
          severities: { RB2001: critical }
          sensitive_paths: ["src/Auth/**"]
          include_generated: true
        rules:
          - name: AI changes need a reviewer
            if: { authorship: [ai-authored, ai-assisted] }
            require:
              approvals: [{ group: reviewers, count: 1 }]
            labels: [ai]
        """;

    private static RulesFile OrgFile => RulesParser.Parse(Org, "org.yml").Rules!;

    private static RulesParseResult Combine(string repository) => PolicyLayers.Parse(OrgFile, repository, ".github/reviewbot.yml");

    [Fact]
    public void A_repository_file_without_rules_keeps_the_organisation_s_rules_marked_with_their_layer()
    {
        var combined = Combine("version: 1\nrules: []\n");

        Assert.True(combined.IsValid, string.Join("\n", combined.Errors));
        var rule = Assert.Single(combined.Rules!.Rules);
        Assert.Equal(("AI changes need a reviewer", RuleLayer.Organisation), (rule.Name, rule.Layer));
        Assert.Equal("org.yml + .github/reviewbot.yml", combined.Rules.Path);
        Assert.Equal(OrgFile.Defaults, combined.Rules.Defaults);
        Assert.Equal(OrgFile.Risk.Disabled, combined.Rules.Risk.Disabled);
        Assert.True(combined.Rules.Risk.IncludeGenerated);
    }

    [Fact]
    public void A_repository_adds_rules_groups_recognition_and_tightenings_and_may_use_the_organisation_s_groups()
    {
        var combined = Combine("""
            version: 1
            groups:
              qa: { users: [quinn] }
            agents:
              emails: [bot@acme.example]
            defaults:
              invalidate_on_push: true
              commit_authors_can_approve: false
            risk:
              disabled: [RB8002]
              severities: { RB2001: critical, RB6003: high }
              sensitive_paths: ["src/Billing/**"]
              thresholds: { complexity: 5 }
            rules:
              - name: QA sees UI changes
                if: { paths: ["ui/**"] }
                require:
                  approvals: [{ group: qa }, { group: reviewers, count: 2 }]
            """);

        Assert.True(combined.IsValid, string.Join("\n", combined.Errors));
        var file = combined.Rules!;
        Assert.Equal([("AI changes need a reviewer", RuleLayer.Organisation), ("QA sees UI changes", RuleLayer.Repository)], file.Rules.Select(r => (r.Name, r.Layer)));
        Assert.Equal(["qa", "reviewers"], file.Groups.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["acme-agent"], file.Agents.Logins);
        Assert.Equal(["bot@acme.example"], file.Agents.Emails);
        Assert.Equal(PushInvalidation.AnyPush, file.Defaults.InvalidateOnPush);
        Assert.True(file.Defaults.ExcludeLastPusher);
        Assert.Equal(["RB8002"], file.Risk.Disabled);
        Assert.Equal(Severity.High, file.Risk.Severities["RB6003"]);
        Assert.Equal(["src/Auth/**", "src/Billing/**"], file.Risk.SensitivePaths);
        Assert.Equal(5, file.Risk.Thresholds["complexity"]);
    }

    public static TheoryData<string, string, string> Refusals => new()
    {
        { "a repository rule named like an organisation rule", "rules:\n  - name: ai changes NEED a reviewer\n    labels: [x]\n", "3:5: rule 'ai changes NEED a reviewer' is the organisation's (org.yml:16:5)" },
        { "a redefined organisation group", "groups:\n  Reviewers: { users: [mallory] }\nrules: []\n", "3:3: group 'Reviewers' is the organisation's (org.yml:3:3)" },
        { "an account marked as automation", "agents:\n  automation_logins: [acme-agent]\nrules: []\n", "3:3: 'agents.automation_logins': a repository may add agent recognition" },
        { "an email marked as automation", "agents:\n  automation_emails: [agent@acme.example]\nrules: []\n", "3:3: 'agents.automation_emails'" },
        { "a disabled risk rule", "risk:\n  disabled: [RB2001]\nrules: []\n", "3:14: disabling risk rule RB2001 is refused" },
        { "a lowered severity", "risk:\n  severities: { RB2001: high }\nrules: []\n", "3:17: severity of RB2001 'high' is lower than the organisation's 'critical'" },
        { "a lowered default severity", "risk:\n  severities: { RB1001: info }\nrules: []\n", "3:17: severity of RB1001 'info' is lower" },
        { "a raised threshold", "risk:\n  thresholds: { score_high: 90 }\nrules: []\n", "3:17: threshold 'score_high: 90' is higher (looser) than the organisation's 30" },
        { "an analysis limit", "risk:\n  thresholds: { max_file_bytes: 10 }\nrules: []\n", "3:17: threshold 'max_file_bytes' is an analysis limit" },
        { "generated code included less", "risk:\n  include_generated: false\nrules: []\n", "3:3: 'include_generated: false' is looser" },
        { "an ignore entry", "risk:\n  ignore: [{ rule: RB2001, paths: [\"src/**\"], reason: because }]\nrules: []\n", "3:3: 'risk.ignore' is refused" },
        { "author_can_approve true when the organisation says false", "defaults:\n  author_can_approve: true\nrules: []\n", "3:3: 'author_can_approve: true' is looser than the organisation's 'author_can_approve: false' (org.yml:8:3)" },
        { "invalidate_on_push false when the organisation invalidates", "defaults:\n  invalidate_on_push: false\nrules: []\n", "3:3: 'invalidate_on_push: false' is looser than the organisation's 'invalidate_on_push: when_diff_changes' (org.yml:7:3)" },
        { "exclude_last_pusher switched off", "defaults:\n  exclude_last_pusher: false\nrules: []\n", "3:3: 'exclude_last_pusher: false' is looser" },
        { "initiator approval when the organisation's default forbids it", "defaults:\n  initiator_can_approve: true\nrules: []\n", "3:3: 'initiator_can_approve: true' is looser than the organisation's 'initiator_can_approve: false';" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void What_would_loosen_the_organisation_s_policy_is_refused_with_its_position(string what, string repository, string expected)
    {
        var combined = Combine("version: 1\n" + repository);

        Assert.False(combined.IsValid, what);
        Assert.Null(combined.Rules);
        var error = Assert.Single(combined.Errors);
        Assert.Equal(".github/reviewbot.yml", error.File);
        Assert.StartsWith(".github/reviewbot.yml:" + expected, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_refusal_of_a_file_is_reported_at_once_in_file_order()
    {
        var combined = Combine("""
            version: 1
            groups:
              reviewers: { users: [mallory] }
            agents:
              automation_logins: [acme-agent]
            risk:
              disabled: [RB2001]
            rules: []
            """);

        Assert.Equal([3, 5, 7], combined.Errors.Select(e => e.Line));
    }

    [Fact]
    public void A_repository_rule_may_not_refer_to_a_group_nobody_defines_and_the_message_lists_the_organisation_s()
    {
        var combined = Combine("version: 1\nrules:\n  - name: x\n    require: { approvals: [{ group: nobody }] }\n");

        var error = Assert.Single(combined.Errors);
        Assert.Contains("undefined group 'nobody'; defined: reviewers", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_repository_may_re_enable_a_rule_the_organisation_disabled_and_tighten_every_default()
    {
        var combined = Combine("""
            version: 1
            defaults:
              invalidate_on_push: true
              author_can_approve: false
              initiator_can_approve: false
              commit_authors_can_approve: false
              exclude_last_pusher: true
            risk:
              disabled: [RB6003]
              include_generated: true
            rules: []
            """);

        Assert.True(combined.IsValid, string.Join("\n", combined.Errors));
        Assert.Equal(["RB6003"], combined.Rules!.Risk.Disabled);
    }

    // ---- through the engine: each layer named, refusals fail closed ----------------------------

    private static RulesSource Source(string text, string path, string origin) => new() { Path = path, Revision = origin, Text = text, Origin = origin };

    private sealed class NoTeams : IGroupMembership
    {
        public Task<IReadOnlyCollection<string>> GetMembersAsync(string team, CancellationToken cancellationToken = default)
            => Task.FromResult<IReadOnlyCollection<string>>([]);
    }

    private static Task<ReviewOutcome> Engine(RulesSource? repository, RulesSource? organisation, RulesSource? head = null)
    {
        var snapshot = Pr(commits: [GitCommit("dev", "dev@example.com", new Trailer("Co-authored-by", "Claude <noreply@anthropic.com>"))]);
        return new ReviewEngine(NullRiskAnalyzer.Instance).EvaluateAsync(snapshot, repository, new NoTeams(), head, organisation);
    }

    [Fact]
    public async Task The_engine_applies_the_organisation_s_requirement_under_a_repository_file_without_rules_and_names_its_layer()
    {
        var outcome = await Engine(Source("version: 1\nrules: []\n", ".github/reviewbot.yml", "base"), Source(Org, "org.yml", "organisation"));

        Assert.Equal(DecisionState.Pending, outcome.Decision.State);
        var rule = Assert.Single(outcome.Decision.Rules);
        Assert.Equal(RuleLayer.Organisation, rule.Layer);
        Assert.Contains("**AI changes need a reviewer**: applied (organisation):", outcome.Decision.Summary, StringComparison.Ordinal);
        Assert.Equal("org.yml + .github/reviewbot.yml", outcome.Decision.RulesPath);
        Assert.Equal("org.yml@organisation + .github/reviewbot.yml@base", outcome.RulesRevisions());
    }

    [Fact]
    public async Task The_organisation_file_alone_applies_when_the_repository_has_none()
    {
        var outcome = await Engine(null, Source(Org, "org.yml", "organisation"));

        Assert.Equal(DecisionState.Pending, outcome.Decision.State);
        Assert.Equal([RuleLayer.Organisation], outcome.Decision.Rules.Select(r => r.Layer));
        Assert.Equal("org.yml", outcome.Decision.RulesPath);
    }

    [Fact]
    public async Task A_refused_repository_file_fails_the_decision_with_its_positions_and_never_passes()
    {
        var outcome = await Engine(Source("version: 1\ngroups:\n  reviewers: { anyone: true }\nrules: []\n", ".github/reviewbot.yml", "base"), Source(Org, "org.yml", "organisation"));

        Assert.Equal(DecisionState.Fail, outcome.Decision.State);
        Assert.Equal(CheckOutcome.Failure, outcome.Plan.Outcome);
        var error = Assert.Single(outcome.Decision.Errors);
        Assert.Equal((".github/reviewbot.yml", 3, 3), (error.File, error.Line, error.Column));
        Assert.StartsWith("Invalid rules: 1 error in .github/reviewbot.yml", outcome.Decision.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_organisation_file_fails_with_its_own_errors()
    {
        var outcome = await Engine(Source("version: 1\nrules: []\n", ".github/reviewbot.yml", "base"), Source("version: 1\nrules:\n  - name: x\n", "org.yml", "organisation"));

        Assert.Equal(DecisionState.Fail, outcome.Decision.State);
        Assert.All(outcome.Decision.Errors, e => Assert.Equal("org.yml", e.File));
    }

    [Fact]
    public async Task A_change_that_makes_the_repository_file_loosen_the_organisation_s_shows_the_refusal_before_merge()
    {
        var outcome = await Engine(
            Source("version: 1\nrules: []\n", ".github/reviewbot.yml", "base"),
            Source(Org, "org.yml", "organisation"),
            Source("version: 1\ndefaults:\n  author_can_approve: true\nrules: []\n", ".github/reviewbot.yml", "head"));

        Assert.Equal(DecisionState.Fail, outcome.Decision.State);
        var error = Assert.Single(outcome.Decision.HeadRulesErrors);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public async Task Built_in_rules_are_of_the_built_in_layer()
    {
        var outcome = await Engine(Source(DefaultPolicy.Text, DefaultPolicy.Path, DefaultPolicy.Origin), null);

        Assert.All(outcome.Decision.Rules, r => Assert.Equal(RuleLayer.BuiltIn, r.Layer));
        Assert.Contains("(built-in):", outcome.Decision.Summary, StringComparison.Ordinal);
    }
}
