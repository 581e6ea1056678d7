namespace ReviewBot.Core.Policy;

/// <summary>
/// Every key the rules file accepts, per section. The parser rejects anything else, and a test keeps
/// rules/reviewbot.schema.json and rules/README.md in agreement with these lists.
/// </summary>
public static class RulesKeys
{
    public static IReadOnlyList<string> Root { get; } = ["version", "groups", "agents", "defaults", "risk", "rules", "overrides", "capabilities"];
    public static IReadOnlyList<string> Group { get; } = ["users", "teams", "anyone"];
    public static IReadOnlyList<string> Agents { get; } = ["logins", "emails", "trailers", "branch_prefixes", "labels", "automation_logins", "automation_emails"];
    public static IReadOnlyList<string> Defaults { get; } = ["invalidate_on_push", "author_can_approve", "initiator_can_approve", "commit_authors_can_approve", "exclude_last_pusher"];
    public static IReadOnlyList<string> Risk { get; } = ["disabled", "severities", "sensitive_paths", "thresholds", "include_generated", "ignore"];
    public static IReadOnlyList<string> RiskIgnore { get; } = ["rule", "paths", "reason"];
    public static IReadOnlyList<string> Rule { get; } = ["name", "if", "require", "block", "labels", "request", "mode", "escalate"];
    public static IReadOnlyList<string> Require { get; } = ["approvals", "checks"];
    public static IReadOnlyList<string> Check { get; } = ["name", "app", "source"];
    public static IReadOnlyList<string> Approval { get; } = ["group", "users", "teams", "count", "bots_can_approve", "codeowners"];
    public static IReadOnlyList<string> Request { get; } = ["users", "teams"];
    public static IReadOnlyList<string> Overrides { get; } = ["groups", "users", "teams", "reason_required", "never", "author_can_override", "initiator_can_override"];

    public static IReadOnlyList<string> Condition { get; } =
    [
        "authorship", "agents", "risk", "findings", "paths", "only_paths", "target_branch", "source_branch",
        "labels", "author", "changed_lines", "files", "draft", "initiator", "initiator_groups", "all", "any", "not",
    ];

    public static IReadOnlyList<string> Capability { get; } =
    [
        "name", "agents", "authorship", "initiators", "initiator_groups", "exceed", "paths", "target_branches",
        "max_changed_lines", "max_changed_files", "dependencies", "weaken_tests", "ci", "rules", "agent_config",
    ];

    public static IReadOnlyList<string> CapabilityPaths { get; } = ["allow", "deny"];
    public static IReadOnlyList<string> Escalate { get; } = ["after", "to"];

    /// <summary>The profile keys that name a <see cref="Policy.Capability"/>, in enum order.</summary>
    public static IReadOnlyList<string> Capabilities { get; } = ["dependencies", "weaken_tests", "ci", "rules", "agent_config"];

    public static string CapabilityKey(Capability capability) => Capabilities[(int)capability];

    public static IReadOnlyList<string> Author { get; } = ["users", "groups"];

    /// <summary>Section name (as used in rules/README.md and the schema's <c>$defs</c>) → keys.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Sections { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        ["root"] = Root,
        ["group"] = Group,
        ["agents"] = Agents,
        ["defaults"] = Defaults,
        ["risk"] = Risk,
        ["ignore"] = RiskIgnore,
        ["rule"] = Rule,
        ["require"] = Require,
        ["check"] = Check,
        ["approval"] = Approval,
        ["request"] = Request,
        ["condition"] = Condition,
        ["author"] = Author,
        ["overrides"] = Overrides,
        ["capability"] = Capability,
        ["paths"] = CapabilityPaths,
        ["escalate"] = Escalate,
    };

    /// <summary>Values of <c>invalidate_on_push</c> besides true and false.</summary>
    public const string WhenDiffChanges = "when_diff_changes";

    /// <summary>The one value of a check's <c>source:</c>: a job of the merge request's own pipeline (GitLab).</summary>
    public const string PipelineSource = "pipeline";

    /// <summary>Values of a rule's <c>mode:</c>, in the order of <see cref="RuleMode"/>.</summary>
    public static IReadOnlyList<string> RuleModes { get; } = ["enforce", "warn", "evaluate"];

    /// <summary>Values of <c>authorship:</c>.</summary>
    public static IReadOnlyList<string> AuthorshipKinds { get; } = ["human", "ai-assisted", "ai-authored", "automation"];

    /// <summary>Values of <c>risk:</c> comparisons (risk levels) and of <c>risk.severities</c>.</summary>
    public static IReadOnlyList<string> RiskLevels { get; } = ["none", "low", "medium", "high", "critical"];

    public static IReadOnlyList<string> Severities { get; } = ["info", "low", "medium", "high", "critical"];
}
