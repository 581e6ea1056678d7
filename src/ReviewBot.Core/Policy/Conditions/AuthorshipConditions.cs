using ReviewBot.Core.Authorship;

namespace ReviewBot.Core.Policy;

/// <summary><c>authorship: ai-authored</c> or a list: the PR's authorship kind is one of these.</summary>
public sealed record AuthorshipCondition(IReadOnlyList<AuthorshipKind> Kinds) : Condition
{
    public override ConditionResult Evaluate(ConditionContext context)
    {
        var kind = context.Authorship.Kind;
        var name = Names.Of(kind);
        return Outcome.Of(Kinds.Contains(kind), $"authorship is {name}", $"authorship is {name}, not {Names.Or(Kinds.Select(Names.Of))}");
    }
}

/// <summary><c>agents: [claude-code, "copilot-*"]</c>: one of the detected AI agents matches (ids, globs, case-insensitive).</summary>
public sealed record AgentsCondition(PatternSet Agents) : Condition
{
    public override ConditionResult Evaluate(ConditionContext context)
    {
        var detected = context.Authorship.Agents;
        if (detected.Count == 0)
        {
            return new ConditionResult(false, $"no AI agent was detected (wanted {Agents.Describe()})");
        }

        var hit = detected.FirstOrDefault(Agents.IsMatch);
        return Outcome.Of(hit is not null, $"agent {hit} matches {Agents.Describe()}", $"agents {string.Join(", ", detected)} do not match {Agents.Describe()}");
    }
}

/// <summary><c>author: [alice]</c> or <c>author: { users: [alice], groups: [seniors] }</c>: the PR author is listed or in a group.</summary>
public sealed record AuthorCondition(IReadOnlyList<string> Users, IReadOnlyList<string> Groups) : Condition
{
    public override ConditionResult Evaluate(ConditionContext context)
    {
        var login = context.Snapshot.Author.Login;
        var who = context.Snapshot.Author.Display;
        if (login is null)
        {
            return new ConditionResult(false, $"the author ({who}) has no platform login");
        }

        if (Users.Any(u => string.Equals(u, login, StringComparison.OrdinalIgnoreCase)))
        {
            return new ConditionResult(true, $"author {login} is listed");
        }

        foreach (var group in Groups)
        {
            if (GroupLookup.Members(context, group) is { } members && members.Any(m => string.Equals(m, login, StringComparison.OrdinalIgnoreCase)))
            {
                return new ConditionResult(true, $"author {login} is a member of group {group}");
            }
        }

        var parts = new List<string>();
        if (Users.Count > 0)
        {
            parts.Add($"not {Names.Or(Users)}");
        }

        if (Groups.Count > 0)
        {
            parts.Add($"not in group {Names.Or(Groups)}");
        }

        return new ConditionResult(false, $"author {login} is {string.Join(" and ", parts)}");
    }
}

internal static class GroupLookup
{
    public static IReadOnlySet<string>? Members(ConditionContext context, string group) => Members(context.GroupMembers, group);

    public static IReadOnlySet<string>? Members(IReadOnlyDictionary<string, IReadOnlySet<string>> groupMembers, string group)
    {
        if (groupMembers.TryGetValue(group, out var members))
        {
            return members;
        }

        return groupMembers.FirstOrDefault(p => string.Equals(p.Key, group, StringComparison.OrdinalIgnoreCase)).Value;
    }
}

/// <summary>How enum values and lists are written in reasons.</summary>
internal static class Names
{
    public static string Of(AuthorshipKind kind) => kind switch
    {
        AuthorshipKind.Automation => "automation",
        AuthorshipKind.Human => "human",
        AuthorshipKind.AiAssisted => "ai-assisted",
        _ => "ai-authored",
    };

    public static string Of(Risk.RiskLevel level) => level.ToString().ToLowerInvariant();

    public static string Or(IEnumerable<string> values)
    {
        var list = values.ToList();
        return list.Count <= 1 ? string.Join("", list) : string.Join(", ", list.Take(list.Count - 1)) + " or " + list[^1];
    }
}
