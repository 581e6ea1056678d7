using ReviewBot.Core.Authorship;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;
using static ReviewBot.Core.Tests.Decisions.PolicyFixtures;

namespace ReviewBot.Core.Tests.Policy;

/// <summary>The organisation layer for <c>capabilities:</c> and <c>overrides:</c> (rules/README.md, "The organisation layer").</summary>
public sealed class OrganisationCapabilitiesAndOverridesTests
{
    private const string Org = """
        version: 1
        groups:
          release: { users: [rita, rob] }
          seniors: { users: [sen] }
        capabilities:
          - name: juniors
            agents: [codex]
            initiators: [jun]
            dependencies: block
        overrides:
          groups: [release]
          users: [olga, oscar]
          reason_required: false
          never: [org gate]
        rules:
          - name: org gate
            labels: [org]
        """;

    private static RulesFile OrgFile => RulesParser.Parse(Org, "org.yml").Rules!;

    private static RulesParseResult Combine(RulesFile organisation, string repository) => PolicyLayers.Parse(organisation, "version: 1\n" + repository, ".github/reviewbot.yml");

    [Fact]
    public void Repository_profiles_come_after_the_organisation_s_each_marked_with_its_layer()
    {
        var combined = Combine(OrgFile, "capabilities:\n  - name: everyone else\n    max_changed_lines: 10\nrules: []\n");

        Assert.True(combined.IsValid, string.Join("\n", combined.Errors));
        Assert.Equal(
            [("juniors", RuleLayer.Organisation), ("everyone else", RuleLayer.Repository)],
            combined.Rules!.Capabilities.Select(p => (p.Name, p.Layer)));
    }

    [Fact]
    public void The_check_names_the_governing_profile_with_its_layer()
    {
        var combined = Combine(OrgFile, "capabilities:\n  - name: everyone else\n    dependencies: block\nrules: []\n").Rules!;
        var authorship = new AuthorshipVerdict
        {
            Kind = AuthorshipKind.AiAuthored, Agents = ["codex"], Initiator = "jun", InitiatorConfidence = Confidence.High,
            Initiators = [new InitiatorClaim("jun", InitiatorSource.Platform, "test")], Confidence = Confidence.High, Reason = "test",
        };
        var files = new[] { new ChangedFile { Path = "package.json", Status = FileStatus.Modified, Additions = 1 } };

        var decision = new PolicyEvaluator().Evaluate(combined, Pr(author: "chatgpt-codex-connector[bot]", files: files), authorship, new RiskReport { Level = RiskLevel.None });

        var profile = Assert.Single(decision.Rules, r => r.Name.StartsWith("capability profile", StringComparison.Ordinal));
        Assert.Equal(("capability profile 'juniors' (organisation)", RuleLayer.Organisation, true), (profile.Name, profile.Layer, profile.Applied));
        Assert.Contains(decision.Blocks, b => b.Message.StartsWith("capability profile 'juniors' (organisation) does not allow this: dependencies", StringComparison.Ordinal));
    }

    public static TheoryData<string, string, string> Refusals => new()
    {
        { "a profile named like the organisation's", "capabilities:\n  - name: JUNIORS\n    ci: true\nrules: []\n", "3:5: capability profile 'JUNIORS' is the organisation's (org.yml:6:5)" },
        { "author_can_override", "overrides:\n  users: [olga]\n  author_can_override: true\nrules: []\n", "4:24: 'author_can_override: true' is refused in a repository's file" },
        { "initiator_can_override", "overrides:\n  users: [olga]\n  initiator_can_override: true\nrules: []\n", "4:27: 'initiator_can_override: true' is refused" },
        { "both override flags", "overrides:\n  users: [olga]\n  author_can_override: true\n  initiator_can_override: true\nrules: []\n", "4:24: 'author_can_override and initiator_can_override: true' is refused" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void What_would_loosen_capabilities_or_overrides_is_refused_with_its_position(string what, string repository, string expected)
    {
        var combined = Combine(OrgFile, repository);

        Assert.False(combined.IsValid, what);
        var error = Assert.Single(combined.Errors);
        var text = error.ToString();
        Assert.Equal(".github/reviewbot.yml:" + expected, text[..Math.Min(text.Length, expected.Length + 22)]);
    }

    public static TheoryData<string, string, string[], string[], string[], bool> OverrideTable => new()
    {
        // what, repository's file, groups, users, never, reason required
        { "no repository section: the organisation's", "rules: []\n", ["release"], ["olga", "oscar"], ["org gate"], false },
        { "the repository narrows who", "overrides:\n  users: [OLGA, mallory]\n  reason_required: false\nrules: []\n", [], ["olga"], ["org gate"], false },
        { "the repository adds never and requires a reason", "overrides:\n  groups: [release]\n  never: [repo gate]\nrules:\n  - name: repo gate\n    labels: [r]\n", ["release"], [], ["org gate", "repo gate"], true },
    };

    [Theory]
    [MemberData(nameof(OverrideTable))]
    public void Who_may_override_is_the_organisation_s_narrowed_by_the_repository_and_never_is_the_union(string what, string repository, string[] groups, string[] users, string[] never, bool reasonRequired)
    {
        var combined = Combine(OrgFile, repository);

        Assert.True(combined.IsValid, what + ": " + string.Join("\n", combined.Errors));
        var overrides = combined.Rules!.Overrides!;
        Assert.Equal(groups, overrides.Groups);
        Assert.Equal(users, overrides.Users);
        Assert.Equal(never, overrides.Never);
        Assert.Equal(reasonRequired, overrides.ReasonRequired);
        Assert.False(overrides.AuthorCanOverride || overrides.InitiatorCanOverride, what);
    }

    [Fact]
    public void Without_an_organisation_section_who_may_override_is_the_repository_s()
    {
        var organisation = RulesParser.Parse("version: 1\nrules: []\n", "org.yml").Rules!;

        var combined = Combine(organisation, "overrides:\n  users: [mallory]\n  never: [repo gate]\nrules:\n  - name: repo gate\n    labels: [r]\n");

        Assert.True(combined.IsValid, string.Join("\n", combined.Errors));
        Assert.Equal(["mallory"], combined.Rules!.Overrides!.Users);
        Assert.Equal(["repo gate"], combined.Rules.Overrides.Never);
        Assert.Null(Combine(organisation, "rules: []\n").Rules!.Overrides);
    }

    [Theory]
    [InlineData("jun", new string[0], "juniors", RuleLayer.Organisation, "agent codex; initiator jun is listed")]
    [InlineData("sen", new string[0], "seniors here", RuleLayer.Repository, "agent codex; initiator sen is a member of group seniors")]
    [InlineData("ann", new[] { "SENIORS" }, "seniors here", RuleLayer.Repository, "agent codex; initiator ann is a member of group seniors")]
    [InlineData(null, new string[0], "juniors", RuleLayer.Organisation, "agent codex; no initiator declared, so the strictest of the 2 profiles that could apply governs")]
    public void A_declared_identity_is_governed_by_the_organisation_s_profiles_first(string? initiator, string[] groups, string profile, RuleLayer layer, string reason)
    {
        var combined = Combine(OrgFile, "capabilities:\n  - name: seniors here\n    initiator_groups: [seniors]\n    ci: block\nrules: []\n").Rules!;
        var authorship = new AuthorshipVerdict { Kind = AuthorshipKind.AiAuthored, Agents = ["codex"], Initiator = initiator, Confidence = Confidence.High };

        var assessment = CapabilityEvaluator.Declared(combined, authorship, ResolvedMembership.None.GroupMembers(combined), groups)!;

        Assert.Equal((profile, layer, reason), (assessment.Profile!.Name, assessment.Profile.Layer, assessment.Reason));
    }
}
