using ReviewBot.Core.Authorship;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Policy;

/// <summary>1-based position of a node in the rules file (for errors and explanations).</summary>
public readonly record struct SourcePosition(int Line, int Column)
{
    public static SourcePosition None { get; } = new(0, 0);
}

/// <summary>A named set of people who may approve: users plus platform teams/groups.</summary>
public sealed record GroupDefinition
{
    public required string Name { get; init; }

    /// <summary>Logins (case-insensitive).</summary>
    public IReadOnlyList<string> Users { get; init; } = [];

    /// <summary>Teams: "org/team-slug" on GitHub, a group full path on GitLab (see rules/README.md).</summary>
    public IReadOnlyList<string> Teams { get; init; } = [];

    public SourcePosition Position { get; init; }

    /// <summary>
    /// <c>anyone: true</c>: any reviewer may approve (still subject to the author / initiator / commit-author
    /// exclusions of <c>defaults:</c>). Used by the built-in default so it works before an organisation names
    /// its reviewers; never set together with <see cref="Users"/> or <see cref="Teams"/>.
    /// </summary>
    public bool Anyone { get; init; }
}

/// <summary>What a push does to earlier approvals (<c>invalidate_on_push</c>).</summary>
public enum PushInvalidation
{
    /// <summary><c>false</c>: an approval of an older head still counts.</summary>
    Never,

    /// <summary><c>true</c>: an approval counts only for the head it was given on.</summary>
    AnyPush,

    /// <summary>
    /// <c>when_diff_changes</c>: an approval of an older head counts while the pull request's own diff is unchanged
    /// (a rebase or an update from the target branch), by patch id; it is dropped when the diff changed or cannot be told.
    /// </summary>
    WhenDiffChanges,
}

/// <summary>The rules file's <c>defaults:</c> section: approval semantics.</summary>
public sealed record PolicyDefaults
{
    /// <summary>What a push does to approvals given on an older head.</summary>
    public PushInvalidation InvalidateOnPush { get; init; } = PushInvalidation.AnyPush;

    /// <summary>The person who pushed the latest commits may not approve (GitHub's "approval of the most recent push").</summary>
    public bool ExcludeLastPusher { get; init; }

    public bool AuthorCanApprove { get; init; }

    /// <summary>May the human who dispatched the agent approve its work?</summary>
    public bool InitiatorCanApprove { get; init; }

    /// <summary>May people named as commit authors / co-authors of the change approve it?</summary>
    public bool CommitAuthorsCanApprove { get; init; }
}

/// <summary>One approval requirement: <c>count</c> approvals from a group, or from users/teams listed inline.</summary>
public sealed record ApprovalRequirement
{
    /// <summary>Name of a group from <c>groups:</c>; null when users/teams are inline.</summary>
    public string? Group { get; init; }

    public IReadOnlyList<string> Users { get; init; } = [];
    public IReadOnlyList<string> Teams { get; init; } = [];
    public int Count { get; init; } = 1;

    /// <summary><c>bots_can_approve: true</c>: approvals from bot and app accounts count toward this requirement.</summary>
    public bool BotsCanApprove { get; init; }

    /// <summary><c>codeowners: true</c>: an owner (CODEOWNERS at the base commit) of each touched path must approve.</summary>
    public bool CodeOwners { get; init; }

    public SourcePosition Position { get; init; }
}

/// <summary>What an applied rule demands.</summary>
public sealed record Requirements
{
    public IReadOnlyList<ApprovalRequirement> Approvals { get; init; } = [];

    /// <summary>Required checks: names or globs (e.g. "build", "test-*"), each maybe pinned to who reports it.</summary>
    public IReadOnlyList<CheckRequirement> Checks { get; init; } = [];
}

/// <summary>
/// One required check: a name or glob, and optionally who must report it. <c>app:</c> (GitHub) accepts only check runs
/// created by the GitHub App with that slug; <c>source: pipeline</c> (GitLab) accepts only jobs of the merge request's own
/// pipeline. A pinned requirement is never met by a commit status, whatever its name.
/// </summary>
public sealed record CheckRequirement
{
    public required string Pattern { get; init; }

    /// <summary>The slug of the GitHub App whose check runs count (e.g. "github-actions"); null: not pinned to an app.</summary>
    public string? App { get; init; }

    /// <summary><c>source: pipeline</c>: only jobs of the merge request's own pipeline count (GitLab).</summary>
    public bool PipelineJob { get; init; }

    /// <summary>"app github-actions", "source pipeline", or null when any check of the name counts.</summary>
    public string? Pin => App is { } app ? "app " + app : PipelineJob ? "source pipeline" : null;

    public SourcePosition Position { get; init; }
}

public sealed record PolicyRule
{
    public required string Name { get; init; }

    /// <summary><c>mode:</c> enforce (default), warn or evaluate.</summary>
    public RuleMode Mode { get; init; } = RuleMode.Enforce;

    /// <summary>The file the rule came from; set when layers are combined (a file on its own is the repository's).</summary>
    public RuleLayer Layer { get; init; } = RuleLayer.Repository;

    /// <summary>The <c>if:</c> condition; null means the rule always applies.</summary>
    public Condition? If { get; init; }

    public Requirements Require { get; init; } = new();

    /// <summary>Block message: when set and the rule applies, the decision fails.</summary>
    public string? Block { get; init; }

    /// <summary>Labels to apply when the rule applies.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Extra reviewers to request when the rule applies (users and teams), beyond approval groups.</summary>
    public IReadOnlyList<string> RequestUsers { get; init; } = [];
    public IReadOnlyList<string> RequestTeams { get; init; } = [];

    /// <summary><c>escalate:</c> whom to ask, and after how long, when the rule's requirement stays unmet.</summary>
    public Escalation? Escalate { get; init; }

    public SourcePosition Position { get; init; }
}

/// <summary>A parsed, valid rules file.</summary>
public sealed record RulesFile
{
    /// <summary>Path as given to the parser (used in messages).</summary>
    public required string Path { get; init; }

    public int Version { get; init; } = 1;
    public IReadOnlyDictionary<string, GroupDefinition> Groups { get; init; } = new Dictionary<string, GroupDefinition>(StringComparer.OrdinalIgnoreCase);
    public AgentCatalogExtension Agents { get; init; } = AgentCatalogExtension.Empty;
    public PolicyDefaults Defaults { get; init; } = new();
    public IReadOnlyList<PolicyRule> Rules { get; init; } = [];
    public RiskOptions Risk { get; init; } = RiskOptions.Default;

    /// <summary>
    /// Where each key of <c>defaults:</c> and <c>risk:</c> was written ("defaults.author_can_approve",
    /// "risk.disabled", "risk.severities.CS-SQL-001", ...): which keys the file sets, for the organisation layer's refusals.
    /// </summary>
    public IReadOnlyDictionary<string, SourcePosition> Positions { get; init; } = new Dictionary<string, SourcePosition>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The same file with every rule and capability profile marked as coming from <paramref name="layer"/>.</summary>
    public RulesFile InLayer(RuleLayer layer) => this with
    {
        Rules = [.. Rules.Select(r => r with { Layer = layer })],
        Capabilities = [.. Capabilities.Select(p => p with { Layer = layer })],
    };

    /// <summary>The <c>overrides:</c> section (break-glass); null when the file has none and nobody may override.</summary>
    public OverridePolicy? Overrides { get; init; }

    /// <summary><c>capabilities:</c> what AI changes may do, per agent, kind and dispatching human (file order).</summary>
    public IReadOnlyList<CapabilityProfile> Capabilities { get; init; } = [];
}

/// <summary>Result of parsing: either a file or every error found, all at once.</summary>
public sealed record RulesParseResult(RulesFile? Rules, IReadOnlyList<RulesError> Errors)
{
    public bool IsValid => Rules is not null && Errors.Count == 0;
}

/// <summary>What a condition sees. Group members are resolved before evaluation (group name → logins).</summary>
public sealed record ConditionContext
{
    public required PullRequestSnapshot Snapshot { get; init; }
    public required AuthorshipVerdict Authorship { get; init; }
    public required RiskReport Risk { get; init; }

    /// <summary>Group name (from <c>groups:</c>) → member logins, case-insensitive.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> GroupMembers { get; init; } = new Dictionary<string, IReadOnlySet<string>>();
}

/// <summary>A condition's answer with its reason (one sentence, e.g. "authorship is ai-authored").</summary>
public sealed record ConditionResult(bool Matched, string Reason);

/// <summary>An <c>if:</c> predicate. Pure; carries its own explanation.</summary>
public abstract record Condition
{
    public SourcePosition Position { get; init; }

    public abstract ConditionResult Evaluate(ConditionContext context);
}
