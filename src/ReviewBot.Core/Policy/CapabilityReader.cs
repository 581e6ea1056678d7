using System.Globalization;
using ReviewBot.Core.Authorship;

namespace ReviewBot.Core.Policy;

/// <summary>The <c>capabilities:</c> section and a rule's <c>escalate:</c> for <see cref="RulesReader"/>.</summary>
internal sealed partial class RulesReader
{
    private IReadOnlyList<CapabilityProfile> ReadCapabilities(YamlNode node)
    {
        if (node is YamlScalar { IsNull: true })
        {
            return [];
        }

        if (node is not YamlSequence seq)
        {
            Error(node, $"'capabilities' must be a list of profiles (each starting with '- name:'); got {Describe(node)}");
            return [];
        }

        var profiles = new List<CapabilityProfile>();
        var names = new Dictionary<string, SourcePosition>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in seq.Items)
        {
            if (ReadProfile(item) is not { } profile)
            {
                continue;
            }

            if (!names.TryAdd(profile.Name, profile.Position))
            {
                errors.Add((profile.Position, $"duplicate capability profile name '{profile.Name}' (first at line {names[profile.Name].Line}); profile names must be unique"));
            }

            profiles.Add(profile);
        }

        return profiles;
    }

    private CapabilityProfile? ReadProfile(YamlNode node)
    {
        if (Mapping(node, "each capability profile (starting with '- name:')") is not { } map)
        {
            return null;
        }

        var keys = Keys(map, "capability profile", RulesKeys.Capability);
        string? name = null;
        if (!keys.TryGetValue("name", out var nameNode))
        {
            Error(map, "capability profile has no 'name'");
        }
        else
        {
            name = NonEmpty(nameNode, "name");
        }

        var exceed = keys.TryGetValue("exceed", out var exceedNode) ? ReadOutcome(exceedNode, "exceed") ?? CapabilityOutcome.Block : CapabilityOutcome.Block;
        PatternSet? allowed = null, denied = null;
        if (keys.TryGetValue("paths", out var pathsNode) && Mapping(pathsNode, "'paths' (e.g. { allow: [\"src/**\"], deny: [\"src/Billing/**\"] })") is { } paths)
        {
            var pk = Keys(paths, "paths", RulesKeys.CapabilityPaths);
            if (paths.Entries.Count == 0)
            {
                Error(paths, "'paths' is empty; give 'allow' and/or 'deny'");
            }

            allowed = pk.TryGetValue("allow", out var allowNode) ? Patterns(allowNode, "allow", ignoreCase: false) : null;
            denied = pk.TryGetValue("deny", out var denyNode) ? Patterns(denyNode, "deny", ignoreCase: false) : null;
        }

        var deniedCapabilities = new Dictionary<Capability, CapabilityOutcome>();
        foreach (var capability in Enum.GetValues<Capability>())
        {
            var key = RulesKeys.CapabilityKey(capability);
            if (keys.TryGetValue(key, out var valueNode) && ReadCapability(valueNode, key, exceed) is { } outcome)
            {
                deniedCapabilities[capability] = outcome;
            }
        }

        var initiatorGroups = keys.TryGetValue("initiator_groups", out var groupsNode) ? InitiatorGroups(groupsNode) : [];
        if (name is null)
        {
            return null;
        }

        return new CapabilityProfile
        {
            Name = name,
            Agents = keys.TryGetValue("agents", out var agentsNode) ? Patterns(agentsNode, "agents", ignoreCase: true) : null,
            Authorship = keys.TryGetValue("authorship", out var kindNode) ? ReadAuthorship(kindNode)?.Kinds.Where(IsAiKind(kindNode)).ToList() ?? [] : [],
            Initiators = keys.TryGetValue("initiators", out var initiatorsNode) ? Logins(initiatorsNode, "initiators") : [],
            InitiatorGroups = initiatorGroups,
            Exceed = exceed,
            AllowedPaths = allowed,
            DeniedPaths = denied,
            TargetBranches = keys.TryGetValue("target_branches", out var branchesNode) ? Patterns(branchesNode, "target_branches", ignoreCase: false) : null,
            MaxChangedLines = keys.TryGetValue("max_changed_lines", out var linesNode) ? Int(linesNode, "max_changed_lines", min: 0) : null,
            MaxChangedFiles = keys.TryGetValue("max_changed_files", out var filesNode) ? Int(filesNode, "max_changed_files", min: 0) : null,
            Denied = deniedCapabilities,
            Position = map.Position,
        };
    }

    /// <summary>A profile governs AI changes only: a human or automation kind there can never match, so it is an error.</summary>
    private Func<AuthorshipKind, bool> IsAiKind(YamlNode node) => kind =>
    {
        if (kind is AuthorshipKind.AiAuthored or AuthorshipKind.AiAssisted)
        {
            return true;
        }

        Error(node, $"a capability profile governs AI changes; 'authorship' may be ai-authored and/or ai-assisted, not {Names.Of(kind)}");
        return false;
    };

    /// <summary><c>true</c>: allowed (null); <c>false</c>: the profile's <c>exceed</c>; <c>block</c> or an approval: that.</summary>
    private CapabilityOutcome? ReadCapability(YamlNode node, string key, CapabilityOutcome exceed)
    {
        if (node is YamlScalar { Plain: true, Value: "true" or "false" } flag)
        {
            return flag.Value == "true" ? null : exceed;
        }

        return ReadOutcome(node, key);
    }

    /// <summary><c>block</c>, or an approval mapping like <c>{ group: seniors, count: 1 }</c>.</summary>
    private CapabilityOutcome? ReadOutcome(YamlNode node, string key)
    {
        if (node is YamlScalar { Value: "block" })
        {
            return CapabilityOutcome.Block;
        }

        if (node is YamlMapping)
        {
            return ReadApproval(node) is { } approval ? new CapabilityOutcome { Approval = approval } : null;
        }

        Error(node, $"'{key}' must be true, false, block, or an approval like {{ group: seniors, count: 1 }}; got {Describe(node)}");
        return null;
    }

    private IReadOnlyList<string> InitiatorGroups(YamlNode node)
    {
        var names = Strings(node, "initiator_groups");
        var items = node is YamlSequence s ? s.Items : [node];
        var result = new List<string>();
        for (var i = 0; i < names.Count && i < items.Count; i++)
        {
            if (CheckGroup(items[i], names[i]) is not { } name)
            {
                continue;
            }

            if (TryGroup(name, out var group) && group.Anyone)
            {
                Error(items[i], $"group '{name}' is 'anyone: true' (any reviewer), so it cannot name an initiator; list its users or teams");
                continue;
            }

            result.Add(name);
        }

        return result;
    }

    private Escalation? ReadEscalate(YamlNode node)
    {
        if (Mapping(node, "'escalate' (e.g. { after: 24h, to: seniors })") is not { } map)
        {
            return null;
        }

        var keys = Keys(map, "escalate", RulesKeys.Escalate);
        TimeSpan? after = null;
        if (!keys.TryGetValue("after", out var afterNode))
        {
            Error(map, "'escalate' needs 'after' (how long the requirement may wait: 30m, 24h, 2d)");
        }
        else
        {
            after = Duration(afterNode);
        }

        string? group = null;
        if (!keys.TryGetValue("to", out var toNode))
        {
            Error(map, "'escalate' needs 'to' (the group whose review is requested)");
        }
        else if (NonEmpty(toNode, "to") is { } name && CheckGroup(toNode, name) is { } defined)
        {
            group = TryGroup(defined, out var target) && target.Anyone ? Fail(toNode, $"group '{defined}' is 'anyone: true', so there is no one to request; escalate to a group with users or teams") : defined;
        }

        return after is { } a && group is not null ? new Escalation(a, group) { Position = map.Position } : null;
    }

    /// <summary>A whole number of minutes, hours or days: 30m, 24h, 2d (at least a minute, at most a year).</summary>
    private TimeSpan? Duration(YamlNode node)
    {
        if (node is YamlScalar { IsNull: false } scalar && scalar.Value.Length >= 2
            && long.TryParse(scalar.Value.AsSpan(0, scalar.Value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            TimeSpan? value = scalar.Value[^1] switch
            {
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                _ => null,
            };
            if (value is { } v && v <= TimeSpan.FromDays(366))
            {
                return v;
            }
        }

        Error(node, $"'after' must be a whole number of minutes, hours or days (m, h, d) up to a year, e.g. 30m, 24h, 2d; got {Describe(node)}");
        return null;
    }
}
