using System.Globalization;
using ReviewBot.Core.Authorship;
using ReviewBot.Core.Risk;

namespace ReviewBot.Core.Policy;

/// <summary>The <c>if:</c> part of <see cref="RulesReader"/>: predicates and their composition.</summary>
internal sealed partial class RulesReader
{
    private Condition? ReadCondition(YamlNode node)
    {
        if (node is not YamlMapping map)
        {
            Error(node, $"a condition must be a mapping like {{ authorship: ai-authored }}; got {Describe(node)} (use 'all:' or 'any:' for lists)");
            return null;
        }

        var keys = Keys(map, "condition", RulesKeys.Condition);
        if (map.Entries.Count == 0)
        {
            Error(map, $"empty condition; give one of: {string.Join(", ", RulesKeys.Condition)}");
            return null;
        }

        var parts = new List<Condition>(keys.Count);
        foreach (var (key, value) in map.Entries)
        {
            if (keys.ContainsKey(key.Value) && ReadPredicate(key, value) is { } condition)
            {
                parts.Add(condition with { Position = key.Position });
            }
        }

        return parts.Count == 1 ? parts[0] : new AllCondition(parts) { Position = map.Position };
    }

    /// <summary>One arm per key of <see cref="RulesKeys.Condition"/>; a listed key without an arm is an error at its position, never read as another key.</summary>
    private Condition? ReadPredicate(YamlScalar keyNode, YamlNode value)
    {
        var key = keyNode.Value;
        return key switch
        {
            "authorship" => ReadAuthorship(value),
            "agents" => new AgentsCondition(Patterns(value, key, ignoreCase: true)),
            "risk" => ReadRiskComparison(value) is { } risk ? new RiskCondition(risk) : null,
            "findings" => ReadFindings(value),
            "paths" => new PathsCondition(Patterns(value, key, ignoreCase: false)),
            "only_paths" => new OnlyPathsCondition(Patterns(value, key, ignoreCase: false)),
            "target_branch" => new TargetBranchCondition(Patterns(value, key, ignoreCase: false)),
            "source_branch" => new SourceBranchCondition(Patterns(value, key, ignoreCase: false)),
            "labels" => new LabelsCondition(Patterns(value, key, ignoreCase: true)),
            "author" => ReadAuthor(value),
            "changed_lines" => ReadCount(value, key) is { } lines ? new ChangedLinesCondition(lines) : null,
            "files" => ReadCount(value, key) is { } files ? new FilesCondition(files) : null,
            "draft" => Bool(value, key) is { } draft ? new DraftCondition(draft) : null,
            "initiator" => Logins(value, key) is { Count: > 0 } initiators ? new InitiatorCondition(initiators) : null,
            "initiator_groups" => InitiatorGroups(value) is { Count: > 0 } initiatorGroups ? new InitiatorGroupsCondition(initiatorGroups) : null,
            "all" => ReadList(value, key) is { } all ? new AllCondition(all) : null,
            "any" => ReadList(value, key) is { } any ? new AnyCondition(any) : null,
            "not" => ReadCondition(value) is { } inner ? new NotCondition(inner) : null,
            var unknown => Unreadable(keyNode, unknown),
        };
    }

    private Condition? Unreadable(YamlScalar keyNode, string key)
    {
        Error(keyNode, $"condition key '{key}' is accepted but ReviewBot has no reader for it (a bug: please report it); nothing was evaluated");
        return null;
    }

    private AuthorshipCondition? ReadAuthorship(YamlNode node)
    {
        var kinds = new List<AuthorshipKind>();
        var values = Strings(node, "authorship");
        var items = node is YamlSequence s ? s.Items : [node];
        for (var i = 0; i < values.Count && i < items.Count; i++)
        {
            var index = IndexOf(RulesKeys.AuthorshipKinds, values[i]);
            if (index < 0)
            {
                Error(items[i], $"unknown authorship '{values[i]}'; allowed: {string.Join(", ", RulesKeys.AuthorshipKinds)}{DidYouMean(values[i], RulesKeys.AuthorshipKinds)}");
                continue;
            }

            kinds.Add(RulesKeys.AuthorshipKinds[index] switch
            {
                "human" => AuthorshipKind.Human,
                "ai-assisted" => AuthorshipKind.AiAssisted,
                "ai-authored" => AuthorshipKind.AiAuthored,
                _ => AuthorshipKind.Automation,
            });
        }

        return kinds.Count > 0 ? new AuthorshipCondition(kinds) : null;
    }

    /// <summary>Rule ids or categories; a plain value (no glob characters) must name a known one, so a typo cannot silently never match.</summary>
    private FindingsCondition ReadFindings(YamlNode node)
    {
        var set = Patterns(node, "findings", ignoreCase: true);
        var values = Strings(node, "findings");
        var items = node is YamlSequence s ? s.Items : [node];
        var known = RiskRuleCatalog.Descriptors.Select(d => d.Id)
            .Concat(RiskRuleCatalog.Descriptors.Select(d => d.Category).Distinct().Order(StringComparer.Ordinal))
            .ToList();
        for (var i = 0; i < values.Count && i < items.Count; i++)
        {
            var value = values[i].TrimStart('!');
            if (value.IndexOfAny(['*', '?', '[', '{', '\\']) < 0 && !known.Contains(value, StringComparer.OrdinalIgnoreCase))
            {
                var categories = RiskRuleCatalog.Descriptors.Select(d => d.Category).Distinct().Order(StringComparer.Ordinal);
                Error(items[i], $"unknown finding '{value}'; give a risk rule id (RB1001...) or a category: {string.Join(", ", categories)}{DidYouMean(value, known)}");
            }
        }

        return new FindingsCondition(set);
    }

    private ValueComparison<RiskLevel>? ReadRiskComparison(YamlNode node)
    {
        if (Scalar(node, "risk") is not { } text)
        {
            return null;
        }

        var (op, operand) = Symbols.Split(text);
        var index = IndexOf(RulesKeys.RiskLevels, operand);
        if (index < 0)
        {
            Error(node, $"bad risk comparison '{text}'; write an operator ({string.Join(", ", ValueComparison<int>.OperatorTokens)}) and a level ({string.Join(", ", RulesKeys.RiskLevels)}), e.g. \">= high\"{DidYouMean(operand, RulesKeys.RiskLevels)}");
            return null;
        }

        return new ValueComparison<RiskLevel>(op, (RiskLevel)index);
    }

    private ValueComparison<int>? ReadCount(YamlNode node, string key)
    {
        if (Scalar(node, key) is not { } text)
        {
            return null;
        }

        var (op, operand) = Symbols.Split(text);
        if (!int.TryParse(operand, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            Error(node, $"bad comparison '{text}' for '{key}'; write an operator ({string.Join(", ", ValueComparison<int>.OperatorTokens)}) and a whole number, e.g. \"> 500\"");
            return null;
        }

        return new ValueComparison<int>(op, value);
    }

    private AuthorCondition? ReadAuthor(YamlNode node)
    {
        if (node is not YamlMapping map)
        {
            var users = Logins(node, "author");
            return users.Count > 0 ? new AuthorCondition(users, []) : null;
        }

        var keys = Keys(map, "author", RulesKeys.Author);
        var logins = keys.TryGetValue("users", out var u) ? Logins(u, "users") : [];
        var groupNames = new List<string>();
        if (keys.TryGetValue("groups", out var g))
        {
            var names = Strings(g, "groups");
            var items = g is YamlSequence s ? s.Items : [g];
            for (var i = 0; i < names.Count && i < items.Count; i++)
            {
                if (CheckGroup(items[i], names[i]) is not { } name)
                {
                    continue;
                }

                if (TryGroup(name, out var group) && group.Anyone)
                {
                    Error(items[i], $"group '{name}' is 'anyone: true' (any reviewer), so it cannot name an author; list its users or teams");
                    continue;
                }

                groupNames.Add(name);
            }
        }

        if (logins.Count == 0 && groupNames.Count == 0)
        {
            if (!keys.ContainsKey("users") && !keys.ContainsKey("groups"))
            {
                Error(map, "'author' needs 'users' and/or 'groups'");
            }

            return null;
        }

        return new AuthorCondition(logins, groupNames);
    }

    private IReadOnlyList<Condition>? ReadList(YamlNode node, string key)
    {
        if (node is not YamlSequence seq || seq.Items.Count == 0)
        {
            Error(node, $"'{key}' must be a non-empty list of conditions, e.g. {key}: [{{ authorship: ai-authored }}, {{ risk: \">= high\" }}]; got {Describe(node)}");
            return null;
        }

        var list = seq.Items.Select(ReadCondition).OfType<Condition>().ToList();
        return list.Count == seq.Items.Count ? list : null;
    }
}
