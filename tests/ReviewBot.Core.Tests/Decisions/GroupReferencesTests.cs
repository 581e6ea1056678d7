using ReviewBot.Core.Policy;

namespace ReviewBot.Core.Tests.Decisions;

public sealed class GroupReferencesTests
{
    [Fact]
    public void Only_groups_used_by_approvals_and_author_conditions_are_resolved_each_team_once()
    {
        var parsed = RulesParser.Parse("""
            version: 1
            groups:
              seniors: { users: [alice], teams: [acme/seniors, acme/leads] }
              appsec: { teams: [acme/appsec, acme/leads] }
              contractors: { teams: [acme/contractors] }
              idle: { teams: [acme/idle] }
            rules:
              - name: contractors' changes need a senior
                if: { not: { any: [{ author: { groups: [contractors] } }, { draft: true }] } }
                require:
                  approvals: [{ group: seniors, count: 1 }, { teams: [acme/release], count: 1 }]
              - name: security
                if: { all: [{ author: { users: [mallory] } }, { author: { groups: [appsec] } }] }
                labels: [odd]
            """, "r.yml");
        Assert.True(parsed.IsValid, string.Join("\n", parsed.Errors));

        Assert.Equal(["seniors", "contractors", "appsec"], GroupReferences.GroupsUsed(parsed.Rules!));
        Assert.Equal(["acme/seniors", "acme/leads", "acme/contractors", "acme/appsec", "acme/release"], GroupReferences.TeamsToResolve(parsed.Rules!));
    }
}
