using ReviewBot.Core.Authorship;
using ReviewBot.Core.Decisions;

namespace ReviewBot.Core.Policy;

/// <summary>What an AI change may do beyond plain code edits; each is a key of a capability profile.</summary>
public enum Capability
{
    /// <summary><c>dependencies</c>: add or change a dependency (see <see cref="AgentChangeFacts.Dependencies"/>).</summary>
    Dependencies,

    /// <summary><c>weaken_tests</c>: a test skipped, assertions removed or tests deleted (risk findings RB6003–RB6005).</summary>
    WeakenTests,

    /// <summary><c>ci</c>: change a CI pipeline (the paths of risk rule RB7004's pipeline list).</summary>
    Ci,

    /// <summary><c>rules</c>: change the ReviewBot rules file.</summary>
    Rules,

    /// <summary><c>agent_config</c>: change agent instructions or tool configuration (AGENTS.md, MCP configuration, ...).</summary>
    AgentConfig,
}

/// <summary>What going past a profile's limit does: block, or require an approval (<see cref="Approval"/>).</summary>
public sealed record CapabilityOutcome
{
    /// <summary>The approval that lets the change past the limit; null: the limit blocks.</summary>
    public ApprovalRequirement? Approval { get; init; }

    public bool Blocks => Approval is null;

    public static CapabilityOutcome Block { get; } = new();
}

/// <summary>One limit of a profile with what going past it does.</summary>
public sealed record CapabilityLimit<T>(T Value, CapabilityOutcome Outcome);

/// <summary>
/// One entry of <c>capabilities:</c>: whom it governs (agents, kind of AI involvement, the dispatching human)
/// and what their AI changes may do. Selectors left out match everything; a profile governs AI-involved
/// changes only (ai-authored, ai-assisted).
/// </summary>
public sealed record CapabilityProfile
{
    public required string Name { get; init; }

    /// <summary><c>agents:</c> agent ids or globs (case-insensitive); null: any agent.</summary>
    public PatternSet? Agents { get; init; }

    /// <summary><c>authorship:</c> the kind of AI involvement (ai-authored: an agent wrote it; ai-assisted: a human with an assistant); empty: both.</summary>
    public IReadOnlyList<AuthorshipKind> Authorship { get; init; } = [];

    /// <summary><c>initiators:</c> logins of the dispatching human.</summary>
    public IReadOnlyList<string> Initiators { get; init; } = [];

    /// <summary><c>initiator_groups:</c> groups the dispatching human belongs to.</summary>
    public IReadOnlyList<string> InitiatorGroups { get; init; } = [];

    /// <summary>True when the profile selects by who dispatched the agent.</summary>
    public bool SelectsInitiator => Initiators.Count > 0 || InitiatorGroups.Count > 0;

    /// <summary><c>exceed:</c> what going past a limit does when the limit does not say (default: block).</summary>
    public CapabilityOutcome Exceed { get; init; } = CapabilityOutcome.Block;

    /// <summary><c>paths.allow</c>: every changed file must match; null: anywhere.</summary>
    public PatternSet? AllowedPaths { get; init; }

    /// <summary><c>paths.deny</c>: no changed file may match.</summary>
    public PatternSet? DeniedPaths { get; init; }

    /// <summary><c>target_branches:</c> branches the change may target; null: any.</summary>
    public PatternSet? TargetBranches { get; init; }

    public int? MaxChangedLines { get; init; }
    public int? MaxChangedFiles { get; init; }

    /// <summary>Capabilities the profile names: allowed ones are absent; each present one says what using it does.</summary>
    public IReadOnlyDictionary<Capability, CapabilityOutcome> Denied { get; init; } = new Dictionary<Capability, CapabilityOutcome>();

    /// <summary>The rules file the profile came from; set when layers are combined (a file on its own is the repository's).</summary>
    public RuleLayer Layer { get; init; } = RuleLayer.Repository;

    public SourcePosition Position { get; init; }
}

/// <summary><c>escalate: { after: 24h, to: group }</c> on a rule: ask the group to review when the rule's requirement stays unmet that long.</summary>
public sealed record Escalation(TimeSpan After, string Group)
{
    public SourcePosition Position { get; init; }

    /// <summary>The duration as written in rules files: "90m", "24h", "2d".</summary>
    public static string Format(TimeSpan after) => after.Ticks % TimeSpan.TicksPerDay == 0
        ? FormattableString.Invariant($"{(long)after.TotalDays}d")
        : after.Ticks % TimeSpan.TicksPerHour == 0 ? FormattableString.Invariant($"{(long)after.TotalHours}h") : FormattableString.Invariant($"{(long)after.TotalMinutes}m");
}
