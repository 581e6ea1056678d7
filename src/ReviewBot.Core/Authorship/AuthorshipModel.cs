using System.Text.Json.Serialization;

namespace ReviewBot.Core.Authorship;

/// <summary>
/// How much AI was involved. The numeric order is the order of "AI involvement" used to combine
/// commits and PR metadata: a PR is the most AI-involved kind among its parts, and automation only
/// when everything is automation.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<AuthorshipKind>))]
public enum AuthorshipKind
{
    [JsonStringEnumMemberName("automation")] Automation = 0,
    [JsonStringEnumMemberName("human")] Human = 1,
    [JsonStringEnumMemberName("ai-assisted")] AiAssisted = 2,
    [JsonStringEnumMemberName("ai-authored")] AiAuthored = 3,
}

[JsonConverter(typeof(JsonStringEnumConverter<SignalStrength>))]
public enum SignalStrength
{
    [JsonStringEnumMemberName("weak")] Weak = 0,
    [JsonStringEnumMemberName("medium")] Medium = 1,
    [JsonStringEnumMemberName("strong")] Strong = 2,
}

[JsonConverter(typeof(JsonStringEnumConverter<Confidence>))]
public enum Confidence
{
    [JsonStringEnumMemberName("low")] Low = 0,
    [JsonStringEnumMemberName("medium")] Medium = 1,
    [JsonStringEnumMemberName("high")] High = 2,
}

/// <summary>One matched signal: what matched, where, how strong, and what it implies.</summary>
public sealed record Evidence
{
    /// <summary>Stable signal id, e.g. <c>copilot-agent.commit-author</c>, <c>claude-code.co-author-trailer</c>.</summary>
    public required string Signal { get; init; }

    /// <summary>Agent id (copilot-coding-agent, claude-code, ...) or automation id (dependabot, ...); null for generic signals.</summary>
    public string? Agent { get; init; }

    /// <summary>Where it was seen: <c>pr.author</c>, <c>pr.body</c>, <c>pr.head_ref</c>, <c>pr.labels</c>, <c>commit 1a2b3c4 author</c>, <c>commit 1a2b3c4 trailer</c>.</summary>
    public required string Location { get; init; }

    /// <summary>The text that matched (never a secret; at most a short excerpt).</summary>
    public required string Matched { get; init; }

    public required SignalStrength Strength { get; init; }

    /// <summary>The kind this signal argues for.</summary>
    public required AuthorshipKind Implies { get; init; }

    /// <summary>Optional caveat, e.g. "git identities are unauthenticated".</summary>
    public string? Note { get; init; }

    /// <summary>
    /// The text can be typed by anyone (git identity, trailer, PR body): it counts, but alone it never
    /// gives high confidence. Platform-controlled facts (PR author account, GitHub App, verified signature) are not.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    internal bool Forgeable { get; init; }

    /// <summary>
    /// A naming convention (branch prefix, label, title prefix): it argues for ai-authored only when another
    /// AI signal of the same agent agrees; alone it gives at most ai-assisted.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    internal bool NeedsCorroboration { get; init; }
}

public sealed record CommitAuthorship
{
    public required string Sha { get; init; }
    public required AuthorshipKind Kind { get; init; }
    public IReadOnlyList<string> Agents { get; init; } = [];
    public string? Initiator { get; init; }
    public required Confidence Confidence { get; init; }
    public IReadOnlyList<Evidence> Evidence { get; init; } = [];

    /// <summary>One sentence explaining the verdict.</summary>
    public string Reason { get; init; } = "";
}

/// <summary>The classification of a whole pull request (or local range).</summary>
public sealed record AuthorshipVerdict
{
    public required AuthorshipKind Kind { get; init; }

    /// <summary>Agent ids, sorted, distinct.</summary>
    public IReadOnlyList<string> Agents { get; init; } = [];

    /// <summary>The human who dispatched the agent, where it can be known (login, else name/email): the first of <see cref="Initiators"/>.</summary>
    public string? Initiator { get; init; }

    /// <summary>
    /// Everyone named as a dispatcher, platform facts first, then git identities, then editable text. Every one of
    /// them is kept from approving (unless <c>initiator_can_approve</c>); text can only add to this list.
    /// </summary>
    public IReadOnlyList<InitiatorClaim> Initiators { get; init; } = [];

    /// <summary>How far <see cref="Initiator"/> can be trusted: high from a platform event, medium from a git identity, low from editable text.</summary>
    public Confidence? InitiatorConfidence { get; init; }

    public required Confidence Confidence { get; init; }

    /// <summary>PR-level evidence (author, branch, body, labels) and, repeated, the commits' evidence.</summary>
    public IReadOnlyList<Evidence> Evidence { get; init; } = [];

    public IReadOnlyList<CommitAuthorship> Commits { get; init; } = [];

    /// <summary>One sentence explaining the verdict.</summary>
    public string Reason { get; init; } = "";
}

/// <summary>Where a claim about the dispatcher comes from, most trusted first.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<InitiatorSource>))]
public enum InitiatorSource
{
    /// <summary>A platform event or account fact the author cannot edit (the Copilot assignment, the account that opened the pull request).</summary>
    [JsonStringEnumMemberName("platform")] Platform = 0,

    /// <summary>A git identity in the commits (author or co-author of an agent's commit): unauthenticated.</summary>
    [JsonStringEnumMemberName("commit")] Commit = 1,

    /// <summary>Text the author can edit (a "Requested by" line in the body, the assignees).</summary>
    [JsonStringEnumMemberName("text")] Text = 2,
}

/// <summary>One person named as the dispatcher of the agent, with where that comes from.</summary>
public sealed record InitiatorClaim(string Identity, InitiatorSource Source, string How);

/// <summary>
/// Organisation-specific additions to the built-in signal catalog, from the rules file's <c>agents:</c>
/// section. Everything listed here is treated as an AI agent (ai-authored for identities, ai-assisted for
/// trailers) unless listed under automation.
/// </summary>
public sealed record AgentCatalogExtension
{
    /// <summary>Extra agent bot logins, e.g. "acme-agent[bot]".</summary>
    public IReadOnlyList<string> Logins { get; init; } = [];

    /// <summary>Extra agent commit emails (exact, case-insensitive).</summary>
    public IReadOnlyList<string> Emails { get; init; } = [];

    /// <summary>Extra trailers, "Key: value" (value may end with * as a prefix match), or "Key" alone.</summary>
    public IReadOnlyList<string> Trailers { get; init; } = [];

    /// <summary>Extra agent branch prefixes, e.g. "acme-agent/".</summary>
    public IReadOnlyList<string> BranchPrefixes { get; init; } = [];

    /// <summary>Extra labels that mark a PR as agent-made.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Extra non-AI automation logins (project bots).</summary>
    public IReadOnlyList<string> AutomationLogins { get; init; } = [];

    /// <summary>Extra non-AI automation emails.</summary>
    public IReadOnlyList<string> AutomationEmails { get; init; } = [];

    public static AgentCatalogExtension Empty { get; } = new();
}
