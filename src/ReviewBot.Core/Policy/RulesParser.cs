using System.Globalization;
using System.Text.RegularExpressions;
using ReviewBot.Core.Authorship;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Risk.Analysis;

namespace ReviewBot.Core.Policy;

/// <summary>Parses and validates a rules file (see rules/README.md). Never throws for bad input: every problem is a positioned error.</summary>
public static class RulesParser
{
    public static RulesParseResult Parse(string text, string path) => Parse(text, path, RulesLimits.Default);

    public static RulesParseResult Parse(string text, string path, RulesLimits limits) => Parse(text, path, limits, null);

    /// <summary>
    /// Parses a repository's file under an organisation's: its rules may refer to the organisation's groups
    /// (<paramref name="inheritedGroups"/>), which stay out of the parsed file's own <see cref="RulesFile.Groups"/>.
    /// What the file may add to the organisation's is checked by <see cref="PolicyLayers.Combine"/>.
    /// </summary>
    public static RulesParseResult Parse(string text, string path, RulesLimits limits, IReadOnlyDictionary<string, GroupDefinition>? inheritedGroups)
    {
        var raw = new List<(SourcePosition Position, string Message)>();
        // A UTF-8 byte order mark decoded as text is not part of the first key (and takes no column).
        text = text is null ? "" : text.TrimStart('\uFEFF');
        var root = YamlTreeReader.Read(text, limits, raw);
        RulesFile? file = null;
        if (raw.Count == 0 || root is not null)
        {
            file = new RulesReader(path, raw, inheritedGroups).ReadFile(root);
        }

        var errors = raw
            .OrderBy(e => e.Position.Line).ThenBy(e => e.Position.Column)
            .Select(e => new RulesError(path, e.Position.Line, e.Position.Column, e.Message))
            .Distinct()
            .ToList();
        return new RulesParseResult(errors.Count == 0 ? file : null, errors);
    }
}

/// <summary>Turns the YAML tree into the policy model, collecting every error instead of stopping at the first.</summary>
internal sealed partial class RulesReader(
    string path, List<(SourcePosition Position, string Message)> errors, IReadOnlyDictionary<string, GroupDefinition>? inheritedGroups = null)
{
    private readonly Dictionary<string, GroupDefinition> groups = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, SourcePosition> positions = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A group this file defines, else one it inherits from the organisation's file.</summary>
    private bool TryGroup(string name, out GroupDefinition group)
    {
        if (groups.TryGetValue(name, out group!))
        {
            return true;
        }

        return inheritedGroups is not null && inheritedGroups.TryGetValue(name, out group!);
    }

    /// <summary>Remembers where each key of a section was written ("defaults.author_can_approve").</summary>
    private void Remember(string section, YamlMapping map)
    {
        foreach (var (key, _) in map.Entries)
        {
            positions.TryAdd($"{section}.{key.Value}", key.Position);
        }
    }

    private void Error(YamlNode node, string message) => errors.Add((node.Position, message));

    public RulesFile ReadFile(YamlNode? root)
    {
        if (root is null || root is YamlScalar { IsNull: true })
        {
            errors.Add((new SourcePosition(1, 1), "the rules file is empty; it needs at least 'version: 1' and 'rules:'"));
            return new RulesFile { Path = path };
        }

        if (root is not YamlMapping map)
        {
            Error(root, $"the rules file must be a mapping with keys {string.Join(", ", RulesKeys.Root)}; got {root.KindName}");
            return new RulesFile { Path = path };
        }

        var keys = Keys(map, "the top level", RulesKeys.Root);
        if (!keys.TryGetValue("version", out var versionNode))
        {
            Error(map, "missing 'version: 1' at the top level");
        }
        else if (versionNode is not YamlScalar { Plain: true, Value: "1" })
        {
            var quoted = versionNode is YamlScalar { Plain: false, Value: "1" } ? " (a quoted text; write the number: version: 1)" : "";
            Error(versionNode, $"'version' must be 1; got {Describe(versionNode)}{quoted}");
        }

        // Groups first: rules refer to them wherever they appear in the file.
        if (keys.TryGetValue("groups", out var groupsNode))
        {
            ReadGroups(groupsNode);
        }

        var agents = keys.TryGetValue("agents", out var agentsNode) ? ReadAgents(agentsNode) : AgentCatalogExtension.Empty;
        var defaults = keys.TryGetValue("defaults", out var defaultsNode) ? ReadDefaults(defaultsNode) : new PolicyDefaults();
        var risk = keys.TryGetValue("risk", out var riskNode) ? ReadRisk(riskNode) : RiskOptions.Default;
        var capabilities = keys.TryGetValue("capabilities", out var capabilitiesNode) ? ReadCapabilities(capabilitiesNode) : [];
        IReadOnlyList<PolicyRule> rules = [];
        if (keys.TryGetValue("rules", out var rulesNode))
        {
            rules = ReadRules(rulesNode);
        }
        else
        {
            Error(map, "missing 'rules:' at the top level (a list of rules; see rules/README.md)");
        }

        var overrides = keys.TryGetValue("overrides", out var overridesNode) ? ReadOverrides(overridesNode, rules) : null;
        return new RulesFile
        {
            Overrides = overrides,
            Path = path,
            Version = 1,
            Groups = new Dictionary<string, GroupDefinition>(groups, StringComparer.OrdinalIgnoreCase),
            Agents = agents,
            Defaults = defaults,
            Risk = risk,
            Rules = rules,
            Positions = new Dictionary<string, SourcePosition>(positions, StringComparer.OrdinalIgnoreCase),
            Capabilities = capabilities,
        };
    }

    // ---- sections -------------------------------------------------------------------------------

    private void ReadGroups(YamlNode node)
    {
        if (Mapping(node, "'groups'") is not { } map)
        {
            return;
        }

        foreach (var (key, value) in map.Entries)
        {
            var name = key.Value;
            if (!GroupName().IsMatch(name))
            {
                Error(key, $"group name '{name}' must start with a letter or digit and use only letters, digits, '-', '_' and '.'");
                continue;
            }

            if (groups.ContainsKey(name))
            {
                Error(key, $"duplicate group name '{name}' (names are case-insensitive)");
                continue;
            }

            var group = new GroupDefinition { Name = name, Position = key.Position };
            if (Mapping(value, $"group '{name}' (e.g. {name}: {{ users: [alice], teams: [org/team] }})") is { } body)
            {
                var keys = Keys(body, $"group '{name}'", RulesKeys.Group);
                var users = keys.TryGetValue("users", out var u) ? Logins(u, "users") : [];
                var teams = keys.TryGetValue("teams", out var t) ? Teams(t) : [];
                var anyone = keys.TryGetValue("anyone", out var a) && (Bool(a, "anyone") ?? false);
                if (anyone && (users.Count > 0 || teams.Count > 0))
                {
                    Error(a!, $"group '{name}' sets 'anyone: true' and lists members; use one or the other");
                }
                else if (users.Count == 0 && teams.Count == 0 && !anyone)
                {
                    Error(body, $"group '{name}' has no members; give 'users' and/or 'teams' (or 'anyone: true')");
                }

                group = group with { Users = users, Teams = teams, Anyone = anyone };
            }

            groups[name] = group;
        }
    }

    private AgentCatalogExtension ReadAgents(YamlNode node)
    {
        if (Mapping(node, "'agents'") is not { } map)
        {
            return AgentCatalogExtension.Empty;
        }

        var keys = Keys(map, "agents", RulesKeys.Agents);
        Remember("agents", map);
        IReadOnlyList<string> List(string key) => keys.TryGetValue(key, out var n) ? Strings(n, key) : [];
        var trailers = List("trailers");
        if (keys.TryGetValue("trailers", out var trailersNode))
        {
            CheckTrailers(trailersNode, trailers);
        }

        return new AgentCatalogExtension
        {
            Logins = List("logins"),
            Emails = List("emails"),
            Trailers = trailers,
            BranchPrefixes = List("branch_prefixes"),
            Labels = List("labels"),
            AutomationLogins = List("automation_logins"),
            AutomationEmails = List("automation_emails"),
        };
    }

    private void CheckTrailers(YamlNode node, IReadOnlyList<string> trailers)
    {
        var items = node is YamlSequence seq ? seq.Items : [node];
        for (var i = 0; i < trailers.Count && i < items.Count; i++)
        {
            var key = trailers[i].Split(':', 2)[0].Trim();
            if (!TrailerKey().IsMatch(key))
            {
                Error(items[i], $"trailer '{trailers[i]}' must be 'Key: value' or 'Key' (key of letters, digits and '-')");
            }
        }
    }

    private PolicyDefaults ReadDefaults(YamlNode node)
    {
        if (Mapping(node, "'defaults'") is not { } map)
        {
            return new PolicyDefaults();
        }

        var keys = Keys(map, "defaults", RulesKeys.Defaults);
        Remember("defaults", map);
        var d = new PolicyDefaults();
        bool Flag(string key, bool fallback) => keys.TryGetValue(key, out var n) ? Bool(n, key) ?? fallback : fallback;
        return d with
        {
            InvalidateOnPush = keys.TryGetValue("invalidate_on_push", out var push) ? Invalidation(push) ?? d.InvalidateOnPush : d.InvalidateOnPush,
            ExcludeLastPusher = Flag("exclude_last_pusher", d.ExcludeLastPusher),
            AuthorCanApprove = Flag("author_can_approve", d.AuthorCanApprove),
            InitiatorCanApprove = Flag("initiator_can_approve", d.InitiatorCanApprove),
            CommitAuthorsCanApprove = Flag("commit_authors_can_approve", d.CommitAuthorsCanApprove),
        };
    }

    /// <summary><c>true</c>, <c>false</c> or <c>when_diff_changes</c>.</summary>
    private PushInvalidation? Invalidation(YamlNode node)
    {
        switch (node)
        {
            case YamlScalar { Plain: true, Value: RulesKeys.WhenDiffChanges }:
                return PushInvalidation.WhenDiffChanges;
            case YamlScalar { Plain: true, Value: "true" or "True" or "TRUE" or "false" or "False" or "FALSE" }:
                return Bool(node, "invalidate_on_push") == true ? PushInvalidation.AnyPush : PushInvalidation.Never;
            default:
                var suggestion = node is YamlScalar scalar ? DidYouMean(scalar.Value, ["true", "false", RulesKeys.WhenDiffChanges]) : "";
                Error(node, $"'invalidate_on_push' must be true, false or {RulesKeys.WhenDiffChanges}; got {Describe(node)}{suggestion}");
                return null;
        }
    }

    private RiskOptions ReadRisk(YamlNode node)
    {
        if (Mapping(node, "'risk'") is not { } map)
        {
            return RiskOptions.Default;
        }

        var keys = Keys(map, "risk", RulesKeys.Risk);
        Remember("risk", map);
        var options = RiskOptions.Default;
        if (keys.TryGetValue("disabled", out var disabledNode))
        {
            var ids = Strings(disabledNode, "disabled");
            var items = disabledNode is YamlSequence s ? s.Items : [disabledNode];
            for (var i = 0; i < ids.Count && i < items.Count; i++)
            {
                CheckRuleId(items[i], ids[i]);
                positions.TryAdd($"risk.disabled.{ids[i]}", items[i].Position);
            }

            options = options with { Disabled = ids.Select(id => id.ToUpperInvariant()).ToList() };
        }

        if (keys.TryGetValue("severities", out var sevNode) && Mapping(sevNode, "'severities'") is { } sevMap)
        {
            Remember("risk.severities", sevMap);
            var severities = new Dictionary<string, Severity>(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, value) in sevMap.Entries)
            {
                CheckRuleId(key, key.Value);
                if (Scalar(value, $"severity of {key.Value}") is { } text)
                {
                    var index = IndexOf(RulesKeys.Severities, text);
                    if (index < 0)
                    {
                        Error(value, $"unknown severity '{text}' for {key.Value}; allowed: {string.Join(", ", RulesKeys.Severities)}{DidYouMean(text, RulesKeys.Severities)}");
                    }
                    else
                    {
                        severities[key.Value.ToUpperInvariant()] = (Severity)index;
                    }
                }
            }

            options = options with { Severities = severities };
        }

        if (keys.TryGetValue("sensitive_paths", out var pathsNode))
        {
            var paths = Strings(pathsNode, "sensitive_paths");
            var pathItems = pathsNode is YamlSequence ps ? ps.Items : [pathsNode];
            for (var i = 0; i < paths.Count && i < pathItems.Count; i++)
            {
                if (paths[i].StartsWith('!'))
                {
                    Error(pathItems[i], $"'{paths[i]}': sensitive_paths takes no '!' exclusions; list only the sensitive paths");
                }
            }

            CompilePatterns(pathsNode, "sensitive_paths", paths, ignoreCase: false);
            options = options with { SensitivePaths = paths };
        }

        if (keys.TryGetValue("thresholds", out var thresholdsNode) && Mapping(thresholdsNode, "'thresholds'") is { } tMap)
        {
            Remember("risk.thresholds", tMap);
            var thresholds = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (key, value) in tMap.Entries)
            {
                if (!RiskThresholds.Defaults.ContainsKey(key.Value))
                {
                    var known = RiskThresholds.Defaults.Keys.ToList();
                    Error(key, $"unknown risk threshold '{key.Value}'; allowed: {string.Join(", ", known)}{DidYouMean(key.Value, known)}");
                }

                if (value is YamlScalar { Plain: true } number && double.TryParse(number.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && v >= 0)
                {
                    thresholds[key.Value] = v;
                }
                else
                {
                    Error(value, $"threshold '{key.Value}' must be a number >= 0; got {Describe(value)}");
                }
            }

            options = options with { Thresholds = thresholds };
        }

        if (keys.TryGetValue("include_generated", out var genNode))
        {
            options = options with { IncludeGenerated = Bool(genNode, "include_generated") ?? false };
        }

        if (keys.TryGetValue("ignore", out var ignoreNode))
        {
            options = options with { Ignore = ReadRiskIgnore(ignoreNode) };
        }

        return options;
    }

    /// <summary><c>risk.ignore</c>: a list of <c>{ rule, paths, reason }</c>, every key required.</summary>
    private List<RiskIgnore> ReadRiskIgnore(YamlNode node)
    {
        var result = new List<RiskIgnore>();
        if (node is YamlScalar { IsNull: true })
        {
            return result;
        }

        if (node is not YamlSequence list)
        {
            Error(node, $"'ignore' must be a list of {{ rule, paths, reason }} entries; got {node.KindName}");
            return result;
        }

        foreach (var item in list.Items)
        {
            if (Mapping(item, "an 'ignore' entry") is not { } map)
            {
                continue;
            }

            var keys = Keys(map, "ignore entry", RulesKeys.RiskIgnore);
            foreach (var required in RulesKeys.RiskIgnore.Where(k => !keys.ContainsKey(k)))
            {
                Error(item, $"'ignore' entry needs '{required}' (rule, paths and reason are all required)");
            }

            string? rule = null;
            if (keys.TryGetValue("rule", out var ruleNode) && Scalar(ruleNode, "rule") is { } id)
            {
                CheckRuleId(ruleNode, id);
                rule = id.ToUpperInvariant();
            }

            IReadOnlyList<string> paths = [];
            if (keys.TryGetValue("paths", out var pathsNode))
            {
                paths = Strings(pathsNode, "paths");
                var pathItems = pathsNode is YamlSequence ps ? ps.Items : [pathsNode];
                for (var i = 0; i < paths.Count && i < pathItems.Count; i++)
                {
                    if (paths[i].StartsWith('!'))
                    {
                        Error(pathItems[i], $"'{paths[i]}': ignore paths take no '!' exclusions; list only the paths the rule does not apply to");
                    }
                }

                CompilePatterns(pathsNode, "paths", paths, ignoreCase: true);
                if (paths.Count == 0)
                {
                    Error(pathsNode, "'paths' of an 'ignore' entry must name at least one glob");
                }
            }

            var reason = keys.TryGetValue("reason", out var reasonNode) ? NonEmpty(reasonNode, "reason") : null;

            if (rule is not null && paths.Count > 0 && reason is not null)
            {
                result.Add(new RiskIgnore(rule, paths, reason));
            }
        }

        return result;
    }

    private void CheckRuleId(YamlNode node, string id)
    {
        if (RiskRuleCatalog.Find(id) is null)
        {
            var known = RiskRuleCatalog.Descriptors.Select(d => d.Id).ToList();
            Error(node, $"unknown risk rule '{id}'; known: {string.Join(", ", known)}{DidYouMean(id, known)}");
        }
    }

    // ---- rules ----------------------------------------------------------------------------------

    private IReadOnlyList<PolicyRule> ReadRules(YamlNode node)
    {
        if (node is YamlScalar { IsNull: true })
        {
            return [];
        }

        if (node is not YamlSequence seq)
        {
            Error(node, $"'rules' must be a list of rules (each starting with '- name:'); got {node.KindName}");
            return [];
        }

        var rules = new List<PolicyRule>();
        var names = new Dictionary<string, SourcePosition>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in seq.Items)
        {
            if (ReadRule(item) is not { } rule)
            {
                continue;
            }

            if (names.TryGetValue(rule.Name, out var first))
            {
                errors.Add((rule.Position, $"duplicate rule name '{rule.Name}' (first at line {first.Line}); rule names must be unique"));
            }
            else
            {
                names[rule.Name] = rule.Position;
            }

            rules.Add(rule);
        }

        return rules;
    }

    private PolicyRule? ReadRule(YamlNode node)
    {
        if (Mapping(node, "each rule (starting with '- name:')") is not { } map)
        {
            return null;
        }

        var keys = Keys(map, "rule", RulesKeys.Rule);
        string? name = null;
        if (!keys.TryGetValue("name", out var nameNode))
        {
            Error(map, "rule has no 'name'");
        }
        else
        {
            name = NonEmpty(nameNode, "name");
        }

        var condition = keys.TryGetValue("if", out var ifNode) ? ReadCondition(ifNode) : null;
        var require = keys.TryGetValue("require", out var requireNode) ? ReadRequire(requireNode) : new Requirements();
        string? block = null;
        if (keys.TryGetValue("block", out var blockNode))
        {
            block = blockNode is YamlScalar { Plain: true, Value: "true" or "false" }
                ? Fail(blockNode, "'block' is the message shown while the rule blocks, e.g. block: AI agents may not change CI workflows; got a true/false value")
                : NonEmpty(blockNode, "block");
        }

        var mode = keys.TryGetValue("mode", out var modeNode) ? Mode(modeNode) : RuleMode.Enforce;
        var labels = keys.TryGetValue("labels", out var labelsNode) ? Strings(labelsNode, "labels") : [];
        IReadOnlyList<string> requestUsers = [], requestTeams = [];
        if (keys.TryGetValue("request", out var requestNode) && Mapping(requestNode, "'request'") is { } requestMap)
        {
            var rk = Keys(requestMap, "request", RulesKeys.Request);
            if (requestMap.Entries.Count == 0)
            {
                Error(requestMap, "'request' is empty; give 'users' and/or 'teams'");
            }

            requestUsers = rk.TryGetValue("users", out var ru) ? Logins(ru, "users") : [];
            requestTeams = rk.TryGetValue("teams", out var rt) ? Teams(rt) : [];
        }

        if (!keys.ContainsKey("require") && !keys.ContainsKey("block") && !keys.ContainsKey("labels") && !keys.ContainsKey("request"))
        {
            Error(map, $"rule '{name ?? "(unnamed)"}' does nothing; give it 'require', 'block', 'labels' or 'request'");
        }

        Escalation? escalate = null;
        if (keys.TryGetValue("escalate", out var escalateNode))
        {
            escalate = ReadEscalate(escalateNode);
            if (!keys.ContainsKey("require"))
            {
                Error(escalateNode, "'escalate' waits on the rule's 'require' (approvals or checks), and this rule has none");
            }
        }

        return name is null
            ? null
            : new PolicyRule
            {
                Name = name,
                Mode = mode,
                If = condition,
                Require = require,
                Block = block,
                Labels = labels,
                RequestUsers = requestUsers,
                RequestTeams = requestTeams,
                Escalate = escalate,
                Position = map.Position,
            };
    }

    /// <summary><c>mode:</c> enforce, warn or evaluate (<see cref="RulesKeys.RuleModes"/>, in that order).</summary>
    private RuleMode Mode(YamlNode node)
    {
        if (Scalar(node, "mode") is not { } text)
        {
            return RuleMode.Enforce;
        }

        var index = IndexOf(RulesKeys.RuleModes, text);
        if (index < 0)
        {
            Error(node, $"unknown mode '{text}'; allowed: {string.Join(", ", RulesKeys.RuleModes)}{DidYouMean(text, RulesKeys.RuleModes)}");
            return RuleMode.Enforce;
        }

        return (RuleMode)index;
    }

    private Requirements ReadRequire(YamlNode node)
    {
        if (Mapping(node, "'require'") is not { } map)
        {
            return new Requirements();
        }

        var keys = Keys(map, "require", RulesKeys.Require);
        if (keys.Count == 0 && map.Entries.Count == 0)
        {
            Error(map, "'require' is empty; give 'approvals' and/or 'checks'");
        }

        var approvals = new List<ApprovalRequirement>();
        if (keys.TryGetValue("approvals", out var approvalsNode))
        {
            var items = approvalsNode switch
            {
                YamlSequence s => s.Items,
                YamlMapping m => [m],
                _ => null,
            };
            if (items is null || items.Count == 0)
            {
                Error(approvalsNode, $"'approvals' must be a list like [{{ group: seniors, count: 1 }}]; got {Describe(approvalsNode)}");
            }
            else
            {
                approvals.AddRange(items.Select(ReadApproval).OfType<ApprovalRequirement>());
            }
        }

        IReadOnlyList<CheckRequirement> checks = [];
        if (keys.TryGetValue("checks", out var checksNode))
        {
            checks = ReadChecks(checksNode);
        }

        return new Requirements { Approvals = approvals, Checks = checks };
    }

    /// <summary><c>checks:</c> a name, or a list of names and pinned checks (<c>{ name: build, app: github-actions }</c>, <c>{ name: test, source: pipeline }</c>).</summary>
    private List<CheckRequirement> ReadChecks(YamlNode node)
    {
        if (node is not YamlSequence seq)
        {
            return [.. Strings(node, "checks").Select(name => new CheckRequirement { Pattern = name, Position = node.Position })];
        }

        if (seq.Items.Count == 0)
        {
            Error(node, "'checks' is an empty list; remove it or give at least one check");
        }

        var checks = new List<CheckRequirement>(seq.Items.Count);
        foreach (var item in seq.Items)
        {
            if (item is YamlMapping map)
            {
                if (ReadPinnedCheck(map) is { } pinned)
                {
                    checks.Add(pinned);
                }
            }
            else if (item is YamlScalar { IsNull: false } scalar && !string.IsNullOrWhiteSpace(scalar.Value))
            {
                checks.Add(new CheckRequirement { Pattern = scalar.Value.Trim(), Position = item.Position });
            }
            else
            {
                Error(item, $"each item of 'checks' must be a check name or {{ name: build, app: github-actions }}; got {Describe(item)}");
            }
        }

        return checks;
    }

    private CheckRequirement? ReadPinnedCheck(YamlMapping map)
    {
        var keys = Keys(map, "a check", RulesKeys.Check);
        var name = keys.TryGetValue("name", out var nameNode) ? NonEmpty(nameNode, "name") : Fail(map, "a check needs 'name' (the check's name or a glob)");
        var app = keys.TryGetValue("app", out var appNode) ? NonEmpty(appNode, "app") : null;
        var pipeline = false;
        if (keys.TryGetValue("source", out var sourceNode) && Scalar(sourceNode, "source") is { } source)
        {
            pipeline = source == RulesKeys.PipelineSource;
            if (!pipeline)
            {
                Error(sourceNode, $"unknown source '{source}'; allowed: {RulesKeys.PipelineSource} (a job of the merge request's own pipeline, GitLab){DidYouMean(source, [RulesKeys.PipelineSource])}");
            }
        }

        if (app is not null && pipeline)
        {
            Error(map, "give 'app' (a GitHub App's check runs) or 'source: pipeline' (GitLab pipeline jobs), not both");
            return null;
        }

        return name is null ? null : new CheckRequirement { Pattern = name, App = app, PipelineJob = pipeline, Position = map.Position };
    }

    private ApprovalRequirement? ReadApproval(YamlNode node)
    {
        if (node is YamlScalar { IsNull: false } shorthand && TryGroup(shorthand.Value, out _))
        {
            Error(node, $"an approval is a mapping: write {{ group: {shorthand.Value}, count: 1 }}");
            return null;
        }

        if (Mapping(node, "an approval (e.g. { group: seniors, count: 1 })") is not { } map)
        {
            return null;
        }

        var keys = Keys(map, "approval", RulesKeys.Approval);
        string? group = null;
        if (keys.TryGetValue("group", out var groupNode) && NonEmpty(groupNode, "group") is { } g)
        {
            group = CheckGroup(groupNode, g);
        }

        var users = keys.TryGetValue("users", out var u) ? Logins(u, "users") : [];
        var teams = keys.TryGetValue("teams", out var t) ? Teams(t) : [];
        var count = 1;
        if (keys.TryGetValue("count", out var countNode))
        {
            count = Int(countNode, "count", min: 1) ?? 1;
        }

        var botsCanApprove = keys.TryGetValue("bots_can_approve", out var botsNode) && (Bool(botsNode, "bots_can_approve") ?? false);
        var hasGroup = keys.ContainsKey("group");
        var hasInline = keys.ContainsKey("users") || keys.ContainsKey("teams");
        if (keys.TryGetValue("codeowners", out var ownersNode))
        {
            return ReadCodeOwners(map, ownersNode, hasGroup || hasInline || keys.ContainsKey("count"), botsCanApprove);
        }

        if (!hasGroup && !hasInline)
        {
            Error(map, "approval needs 'group' (a name from 'groups:'), 'users'/'teams', or 'codeowners: true'");
        }
        else if (hasGroup && hasInline)
        {
            Error(map, "approval gives both 'group' and 'users'/'teams'; use one (define a group for mixed sets)");
        }

        // A count no one can reach is a mistake: only checkable when no team (unknown size) is involved.
        var (knownUsers, hasTeams, label) = group is not null && TryGroup(group, out var def)
            ? (def.Users.Count, def.Teams.Count > 0 || def.Anyone, $"group '{group}'")
            : (users.Count, teams.Count > 0, "the approval");
        if ((group is not null || hasInline) && !hasTeams && count > knownUsers && knownUsers > 0)
        {
            Error(countNode ?? map, $"count {count} can never be reached: {label} lists {knownUsers} user(s) and no teams");
        }

        return new ApprovalRequirement { Group = group, Users = users, Teams = teams, Count = count, BotsCanApprove = botsCanApprove, Position = map.Position };
    }

    /// <summary><c>{ codeowners: true }</c>: the owners come from CODEOWNERS, and each section says how many approve.</summary>
    private ApprovalRequirement? ReadCodeOwners(YamlMapping map, YamlNode node, bool namesApprovers, bool botsCanApprove)
    {
        var flag = Bool(node, "codeowners");
        if (flag is not true)
        {
            if (flag is false)
            {
                Error(node, "'codeowners' can only be true (drop the approval to not require code owners)");
            }

            return null;
        }

        if (namesApprovers)
        {
            Error(map, "'codeowners: true' takes its approvers and counts from CODEOWNERS; drop 'group', 'users', 'teams' and 'count' (allowed beside it: bots_can_approve)");
            return null;
        }

        return new ApprovalRequirement { CodeOwners = true, BotsCanApprove = botsCanApprove, Position = map.Position };
    }

    private string? CheckGroup(YamlNode node, string name)
    {
        if (TryGroup(name, out var def))
        {
            return def.Name;
        }

        var known = groups.Keys.Concat(inheritedGroups?.Keys ?? []).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        var defined = known.Count == 0 ? "no groups are defined (add them under 'groups:')" : "defined: " + string.Join(", ", known);
        Error(node, $"undefined group '{name}'; {defined}");
        return null;
    }

    // ---- value helpers --------------------------------------------------------------------------

    /// <summary>The entries of a mapping by key, reporting unknown keys with the allowed ones.</summary>
    private Dictionary<string, YamlNode> Keys(YamlMapping map, string where, IReadOnlyList<string> allowed)
    {
        var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Entries)
        {
            if (allowed.Contains(key.Value))
            {
                result[key.Value] = value;
                continue;
            }

            Error(key, $"unknown key '{key.Value}' in {where}; allowed: {string.Join(", ", allowed)}{DidYouMean(key.Value, allowed)}");
        }

        return result;
    }

    private string? Fail(YamlNode node, string message)
    {
        Error(node, message);
        return null;
    }

    private YamlMapping? Mapping(YamlNode node, string what)
    {
        if (node is YamlMapping map)
        {
            return map;
        }

        Error(node, $"{what} must be a mapping (key: value); got {Describe(node)}");
        return null;
    }

    private string? Scalar(YamlNode node, string what)
    {
        if (node is YamlScalar { IsNull: false } scalar)
        {
            return scalar.Value;
        }

        Error(node, $"'{what}' must be a text value; got {Describe(node)}");
        return null;
    }

    private string? NonEmpty(YamlNode node, string what)
    {
        var text = Scalar(node, what);
        if (text is not null && string.IsNullOrWhiteSpace(text))
        {
            Error(node, $"'{what}' must not be empty");
            return null;
        }

        return text?.Trim();
    }

    /// <summary>A value or a list of values (the short form <c>key: value</c> means a list of one).</summary>
    private IReadOnlyList<string> Strings(YamlNode node, string what)
    {
        if (node is YamlScalar { IsNull: false } one)
        {
            return NonEmpty(one, what) is { } text ? [text] : [];
        }

        if (node is not YamlSequence seq)
        {
            Error(node, $"'{what}' must be a value or a list of values; got {Describe(node)}");
            return [];
        }

        if (seq.Items.Count == 0)
        {
            Error(node, $"'{what}' is an empty list; remove it or give at least one value");
        }

        var list = new List<string>(seq.Items.Count);
        foreach (var item in seq.Items)
        {
            if (item is YamlScalar { IsNull: false } scalar && !string.IsNullOrWhiteSpace(scalar.Value))
            {
                list.Add(scalar.Value.Trim());
            }
            else
            {
                Error(item, $"each item of '{what}' must be a non-empty text value; got {Describe(item)}");
            }
        }

        return list;
    }

    private IReadOnlyList<string> Logins(YamlNode node, string what)
    {
        var logins = Strings(node, what);
        var items = node is YamlSequence s ? s.Items : [node];
        for (var i = 0; i < logins.Count && i < items.Count; i++)
        {
            if (!Login().IsMatch(logins[i]))
            {
                Error(items[i], $"'{logins[i]}' is not a user login (letters, digits, '-', '_', '.', optional '[bot]'); teams go under 'teams'");
            }
        }

        return logins;
    }

    private IReadOnlyList<string> Teams(YamlNode node)
    {
        var teams = Strings(node, "teams");
        var items = node is YamlSequence s ? s.Items : [node];
        for (var i = 0; i < teams.Count && i < items.Count; i++)
        {
            if (!TeamPath().IsMatch(teams[i]))
            {
                Error(items[i], $"team '{teams[i]}' must be 'org/team' (GitHub) or a group's full path 'group/subgroup' (GitLab)");
            }
        }

        return teams;
    }

    private PatternSet Patterns(YamlNode node, string what, bool ignoreCase) => CompilePatterns(node, what, Strings(node, what), ignoreCase);

    private PatternSet CompilePatterns(YamlNode node, string what, IReadOnlyList<string> patterns, bool ignoreCase)
    {
        var items = node is YamlSequence s ? s.Items : [node];
        return PatternSet.Compile(patterns, ignoreCase, (i, error) => Error(i < items.Count ? items[i] : node, $"bad glob in '{what}': {error}"));
    }

    private bool? Bool(YamlNode node, string what)
    {
        if (node is YamlScalar { Plain: true, Value: "true" or "True" or "TRUE" })
        {
            return true;
        }

        if (node is YamlScalar { Plain: true, Value: "false" or "False" or "FALSE" })
        {
            return false;
        }

        Error(node, $"'{what}' must be true or false; got {Describe(node)}");
        return null;
    }

    private int? Int(YamlNode node, string what, int min)
    {
        if (node is YamlScalar { Plain: true } scalar && int.TryParse(scalar.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min)
        {
            return value;
        }

        Error(node, $"'{what}' must be a whole number >= {min}; got {Describe(node)}");
        return null;
    }

    /// <summary>Exact (case-sensitive, as the schema is) position of a value among the allowed ones, or -1.</summary>
    private static int IndexOf(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (string.Equals(values[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>" (did you mean 'x'?)" when a misspelt value is close to an allowed one.</summary>
    private static string DidYouMean(string value, IReadOnlyList<string> allowed)
        => Suggest(value, allowed) is { } s ? $" (did you mean '{s}'?)" : "";

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalar { IsNull: true } => "nothing",
        YamlScalar s => $"'{(s.Value.Length > 40 ? s.Value[..40] + "..." : s.Value)}'",
        _ => node.KindName,
    };

    /// <summary>The allowed key closest to a misspelt one (edit distance at most 2), if any.</summary>
    private static string? Suggest(string key, IReadOnlyList<string> allowed)
        => allowed.Select(a => (a, d: Distance(key, a))).Where(x => x.d <= 2).OrderBy(x => x.d).Select(x => x.a).FirstOrDefault();

    private static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 2 || a.Length > 64)
        {
            return int.MaxValue;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    private static partial Regex GroupName();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*(\\[bot\\])?$")]
    private static partial Regex Login();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]*$")]
    private static partial Regex TrailerKey();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)+$")]
    private static partial Regex TeamPath();

}
