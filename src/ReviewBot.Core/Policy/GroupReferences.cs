namespace ReviewBot.Core.Policy;

/// <summary>
/// Which groups and teams a rules file actually uses, so membership is looked up only for those:
/// groups named by approval requirements, by <c>author: {groups: [...]}</c> conditions (through
/// <c>all</c>/<c>any</c>/<c>not</c>) and by <c>overrides:</c>, their teams, and inline approval and override teams.
/// </summary>
public static class GroupReferences
{
    public static IReadOnlyList<string> GroupsUsed(RulesFile rules)
    {
        var names = new List<string>();
        foreach (var rule in rules.Rules)
        {
            names.AddRange(rule.Require.Approvals.Select(a => a.Group).OfType<string>());
            if (rule.If is { } condition)
            {
                names.AddRange(InCondition(condition));
            }
        }

        names.AddRange(rules.Overrides?.Groups ?? []);
        return names.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <param name="codeOwners">The CODEOWNERS file at the base, when the rules ask for code owners: its teams too.</param>
    public static IReadOnlyList<string> TeamsToResolve(RulesFile rules, CodeOwnersFile? codeOwners = null)
    {
        var teams = GroupsUsed(rules)
            .SelectMany(name => rules.Groups.TryGetValue(name, out var group) ? group.Teams : [])
            .Concat(rules.Rules.SelectMany(r => r.Require.Approvals).SelectMany(a => a.Teams))
            .Concat(rules.Overrides?.Teams ?? [])
            .Concat(codeOwners?.Teams ?? []);
        return teams.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>Does any rule or capability profile ask for code owners? Only then is CODEOWNERS read.</summary>
    public static bool UsesCodeOwners(RulesFile rules)
        => rules.Rules.SelectMany(r => r.Require.Approvals)
            .Concat(rules.Capabilities.SelectMany(c => c.Denied.Values.Append(c.Exceed)).Select(o => o.Approval).OfType<ApprovalRequirement>())
            .Any(a => a.CodeOwners);

    private static IEnumerable<string> InCondition(Condition condition) => condition switch
    {
        AuthorCondition author => author.Groups,
        AllCondition all => all.Conditions.SelectMany(InCondition),
        AnyCondition any => any.Conditions.SelectMany(InCondition),
        NotCondition not => InCondition(not.Inner),
        _ => [],
    };
}
