namespace ReviewBot.Core.Policy;

/// <summary>The <c>overrides:</c> section (break-glass; see rules/README.md, "Overrides").</summary>
internal sealed partial class RulesReader
{
    private OverridePolicy? ReadOverrides(YamlNode node, IReadOnlyList<PolicyRule> rules)
    {
        if (Mapping(node, "'overrides' (e.g. overrides: { groups: [release-managers], reason_required: true })") is not { } map)
        {
            return null;
        }

        var keys = Keys(map, "overrides", RulesKeys.Overrides);
        var groupNames = new List<string>();
        if (keys.TryGetValue("groups", out var groupsNode))
        {
            var items = groupsNode is YamlSequence seq ? seq.Items : [groupsNode];
            var names = Strings(groupsNode, "groups");
            for (var i = 0; i < names.Count && i < items.Count; i++)
            {
                if (CheckGroup(items[i], names[i]) is { } name)
                {
                    groupNames.Add(name);
                }
            }
        }

        var users = keys.TryGetValue("users", out var u) ? Logins(u, "users") : [];
        var teams = keys.TryGetValue("teams", out var t) ? Teams(t) : [];
        if (!keys.ContainsKey("groups") && !keys.ContainsKey("users") && !keys.ContainsKey("teams"))
        {
            Error(map, "'overrides' needs who may override: 'groups' (names from 'groups:'), 'users' and/or 'teams'");
        }

        var never = new List<string>();
        if (keys.TryGetValue("never", out var neverNode))
        {
            var items = neverNode is YamlSequence seq ? seq.Items : [neverNode];
            var names = Strings(neverNode, "never");
            for (var i = 0; i < names.Count && i < items.Count; i++)
            {
                if (rules.FirstOrDefault(r => string.Equals(r.Name, names[i], StringComparison.OrdinalIgnoreCase)) is { } rule)
                {
                    never.Add(rule.Name);
                }
                else
                {
                    Error(items[i], $"'never' names rule '{names[i]}', which is not in 'rules:'; rules: {string.Join(", ", rules.Select(r => r.Name))}");
                }
            }
        }

        bool Flag(string key, bool fallback, out SourcePosition where)
        {
            where = SourcePosition.None;
            if (!keys.TryGetValue(key, out var flagNode))
            {
                return fallback;
            }

            var value = Bool(flagNode, key) ?? fallback;
            where = value ? flagNode.Position : SourcePosition.None;
            return value;
        }

        var reasonRequired = Flag("reason_required", true, out _);
        var author = Flag("author_can_override", false, out var authorAt);
        var initiator = Flag("initiator_can_override", false, out var initiatorAt);
        return new OverridePolicy
        {
            Groups = groupNames,
            Users = users,
            Teams = teams,
            ReasonRequired = reasonRequired,
            Never = never,
            AuthorCanOverride = author,
            InitiatorCanOverride = initiator,
            AuthorCanOverridePosition = author ? authorAt : initiatorAt,
            Position = map.Position,
        };
    }
}
