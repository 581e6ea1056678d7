using ReviewBot.Core.Policy;

namespace ReviewBot.Core.Tests.Policy;

/// <summary><c>capabilities:</c>, <c>escalate:</c> and the initiator conditions: read as written, refused with positions.</summary>
public sealed class CapabilityRulesParserTests
{
    private const string Groups = "version: 1\ngroups:\n  juniors: { users: [jun] }\n  seniors: { users: [sen, sam] }\n  all: { anyone: true }\n";

    [Theory]
    [InlineData("capabilities:\n  - name: p\n    max_lines: 3\nrules: []\n", "r.yml:8:5: unknown key 'max_lines' in capability profile; allowed: name, agents, authorship, initiators, initiator_groups, exceed, paths, target_branches, max_changed_lines, max_changed_files, dependencies, weaken_tests, ci, rules, agent_config")]
    [InlineData("capabilities:\n  - name: p\n    dependencies: maybe\nrules: []\n", "r.yml:8:19: 'dependencies' must be true, false, block, or an approval like { group: seniors, count: 1 }; got 'maybe'")]
    [InlineData("capabilities:\n  - name: p\n    exceed: { group: leads }\nrules: []\n", "r.yml:8:22: undefined group 'leads'; defined: all, juniors, seniors")]
    [InlineData("capabilities:\n  - name: p\n    initiator_groups: [all]\nrules: []\n", "r.yml:8:24: group 'all' is 'anyone: true' (any reviewer), so it cannot name an initiator; list its users or teams")]
    [InlineData("capabilities:\n  - name: p\n    authorship: human\nrules: []\n", "r.yml:8:17: a capability profile governs AI changes; 'authorship' may be ai-authored and/or ai-assisted, not human")]
    [InlineData("capabilities:\n  - name: p\n    paths: { allow: [\"src/[\"] }\nrules: []\n", "r.yml:8:22: bad glob in 'allow': unclosed '[' at position 5 of glob 'src/['")]
    [InlineData("capabilities:\n  - name: p\n    paths: { only: [src] }\nrules: []\n", "r.yml:8:14: unknown key 'only' in paths; allowed: allow, deny")]
    [InlineData("capabilities:\n  - name: p\n    ci: block\n  - name: P\n    ci: false\nrules: []\n", "r.yml:9:5: duplicate capability profile name 'P' (first at line 7); profile names must be unique")]
    [InlineData("capabilities: { name: p }\nrules: []\n", "r.yml:6:15: 'capabilities' must be a list of profiles (each starting with '- name:'); got a mapping")]
    [InlineData("rules:\n  - name: r\n    require: { approvals: [{ group: juniors }] }\n    escalate: { after: 1w, to: seniors }\n", "r.yml:9:24: 'after' must be a whole number of minutes, hours or days (m, h, d) up to a year, e.g. 30m, 24h, 2d; got '1w'")]
    [InlineData("rules:\n  - name: r\n    require: { approvals: [{ group: juniors }] }\n    escalate: { after: 24h, to: all }\n", "r.yml:9:33: group 'all' is 'anyone: true', so there is no one to request; escalate to a group with users or teams")]
    [InlineData("rules:\n  - name: r\n    require: { approvals: [{ group: juniors }] }\n    escalate: { after: 24h }\n", "r.yml:9:15: 'escalate' needs 'to' (the group whose review is requested)")]
    [InlineData("rules:\n  - name: r\n    labels: [x]\n    escalate: { after: 24h, to: seniors }\n", "r.yml:9:15: 'escalate' waits on the rule's 'require' (approvals or checks), and this rule has none")]
    [InlineData("rules:\n  - name: r\n    if: { initiator_groups: [leads] }\n    labels: [x]\n", "r.yml:8:30: undefined group 'leads'; defined: all, juniors, seniors")]
    [InlineData("rules:\n  - name: r\n    if: { initiator: [\"a b\"] }\n    labels: [x]\n", "r.yml:8:23: 'a b' is not a user login (letters, digits, '-', '_', '.', optional '[bot]'); teams go under 'teams'")]
    public void Errors_are_positioned_and_name_what_is_allowed(string yaml, string expected)
    {
        var parsed = RulesParser.Parse(Groups + yaml, "r.yml");

        Assert.False(parsed.IsValid);
        var errors = parsed.Errors.Select(e => e.ToString()).ToList();
        Assert.True(errors.Contains(expected), string.Join("\n", errors));
    }

    [Fact]
    public void A_profile_and_an_escalation_read_as_written()
    {
        var parsed = RulesParser.Parse(Groups + """
            capabilities:
              - name: juniors' agents
                agents: [codex]
                authorship: ai-authored
                initiator_groups: [juniors]
                exceed: { group: seniors, count: 2 }
                paths: { allow: ["src/**"], deny: ["src/Billing/**"] }
                target_branches: [main]
                max_changed_lines: 400
                max_changed_files: 20
                dependencies: block
                weaken_tests: false
                ci: true
                agent_config: { users: [sam] }
            rules:
              - name: r
                require: { approvals: [{ group: juniors }] }
                escalate: { after: 90m, to: seniors }
            """, "r.yml");

        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
        var profile = Assert.Single(parsed.Rules!.Capabilities);
        Assert.Equal(["juniors"], profile.InitiatorGroups);
        Assert.Equal("seniors", profile.Exceed.Approval!.Group);
        Assert.Equal(2, profile.Exceed.Approval.Count);
        Assert.Equal(400, profile.MaxChangedLines);
        Assert.True(profile.Denied[Capability.Dependencies].Blocks);
        Assert.Same(profile.Exceed, profile.Denied[Capability.WeakenTests]);
        Assert.False(profile.Denied.ContainsKey(Capability.Ci));
        Assert.Equal(["sam"], profile.Denied[Capability.AgentConfig].Approval!.Users);
        Assert.Equal(new Escalation(TimeSpan.FromMinutes(90), "seniors") { Position = new SourcePosition(23, 15) }, parsed.Rules.Rules[0].Escalate);
        Assert.Equal("90m", Escalation.Format(TimeSpan.FromMinutes(90)));
        Assert.Equal("1d", Escalation.Format(TimeSpan.FromHours(24)));
        Assert.Equal("5h", Escalation.Format(TimeSpan.FromHours(5)));
    }
}
