namespace ReviewBot.Core.Policy;

/// <summary>
/// Team memberships resolved for one evaluation (team → member logins, case-insensitive). Groups from the
/// rules file are their listed users plus the members of their teams; a team missing here has no members.
/// </summary>
public sealed record ResolvedMembership
{
    private static readonly IReadOnlySet<string> NoMembers = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Team ("org/team" or group path) → member logins.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Teams { get; init; } =
        new Dictionary<string, IReadOnlySet<string>>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Remarks carried into the decision, e.g. "teams are not resolved locally".</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>No team resolved (every group is its listed users only).</summary>
    public static ResolvedMembership None { get; } = new();

    public IReadOnlySet<string> MembersOf(string team) => Teams.TryGetValue(team, out var members) ? members : NoMembers;

    /// <summary>Members of users and teams together.</summary>
    public HashSet<string> Expand(IEnumerable<string> users, IEnumerable<string> teams)
    {
        var members = new HashSet<string>(users, StringComparer.OrdinalIgnoreCase);
        foreach (var team in teams)
        {
            members.UnionWith(MembersOf(team));
        }

        return members;
    }

    /// <summary>Group name → member logins for every group of the rules file (what conditions see): listed
    /// users plus the members of the group's teams.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> GroupMembers(RulesFile rules)
    {
        var result = new Dictionary<string, IReadOnlySet<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, group) in rules.Groups)
        {
            result[name] = Expand(group.Users, group.Teams);
        }

        return result;
    }
}
