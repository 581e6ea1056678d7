using System.Text.Json.Serialization;
using ReviewBot.Core.Risk;

namespace ReviewBot.Core.Decisions;

[JsonConverter(typeof(JsonStringEnumConverter<DecisionState>))]
public enum DecisionState
{
    /// <summary>Every applied rule's requirements are met and nothing blocks.</summary>
    [JsonStringEnumMemberName("pass")] Pass,

    /// <summary>Requirements not met yet (approvals missing, checks running).</summary>
    [JsonStringEnumMemberName("pending")] Pending,

    /// <summary>Blocked, a required check failed, a veto stands, or the rules are invalid.</summary>
    [JsonStringEnumMemberName("fail")] Fail,
}

/// <summary>How a rule acts when it applies (<c>mode:</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RuleMode>))]
public enum RuleMode
{
    /// <summary>The default: its requirements, blocks, labels and review requests are enforced.</summary>
    [JsonStringEnumMemberName("enforce")] Enforce,

    /// <summary>Shown in the check summary with what it would demand; changes nothing else.</summary>
    [JsonStringEnumMemberName("warn")] Warn,

    /// <summary>Recorded in the decision (the audit log) only; not shown in the summary, changes nothing.</summary>
    [JsonStringEnumMemberName("evaluate")] Evaluate,
}

/// <summary>Which rules file a rule came from (see "The organisation layer" in rules/README.md).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RuleLayer>))]
public enum RuleLayer
{
    /// <summary>The repository's own file (also a file given with <c>--rules</c>).</summary>
    [JsonStringEnumMemberName("repository")] Repository,

    /// <summary>The organisation's file: always applies, a repository can only add to it.</summary>
    [JsonStringEnumMemberName("organisation")] Organisation,

    /// <summary>ReviewBot's built-in policy (rules/default.yml), when there is no file at all.</summary>
    [JsonStringEnumMemberName("built-in")] BuiltIn,
}

/// <summary>Whether a rule applied, and why (or why not).</summary>
public sealed record RuleResult
{
    public required string Name { get; init; }
    public required bool Applied { get; init; }

    /// <summary>One sentence: which predicate matched or failed.</summary>
    public required string Reason { get; init; }

    /// <summary>The rules file the rule came from: organisation, repository or built-in.</summary>
    public RuleLayer Layer { get; init; } = RuleLayer.Repository;

    /// <summary>enforce, warn or evaluate: only enforced rules change the conclusion.</summary>
    public RuleMode Mode { get; init; } = RuleMode.Enforce;

    /// <summary>
    /// For a warn or evaluate rule that applied: what it would hold the change for if it were enforced, one line
    /// each ("1 of 2 approval(s) from group reviewers", "blocked: ...", "check build: missing"); empty when it would pass.
    /// </summary>
    public IReadOnlyList<string> Unmet { get; init; } = [];
}

[JsonConverter(typeof(JsonStringEnumConverter<ReviewerVerdict>))]
public enum ReviewerVerdict
{
    [JsonStringEnumMemberName("counted")] Counted,
    [JsonStringEnumMemberName("author")] Author,
    [JsonStringEnumMemberName("initiator")] Initiator,
    [JsonStringEnumMemberName("co-author")] CoAuthor,
    [JsonStringEnumMemberName("stale")] Stale,
    [JsonStringEnumMemberName("superseded")] Superseded,
    [JsonStringEnumMemberName("not-in-group")] NotInGroup,
    [JsonStringEnumMemberName("veto")] Veto,

    /// <summary>The reviewer's latest decisive review was dismissed: no approval, no veto.</summary>
    [JsonStringEnumMemberName("dismissed")] Dismissed,

    /// <summary>A bot or app account: never a human approval unless the requirement says <c>bots_can_approve</c>.</summary>
    [JsonStringEnumMemberName("bot")] Bot,

    /// <summary>Pushed the latest commits (<c>exclude_last_pusher</c>).</summary>
    [JsonStringEnumMemberName("last-pusher")] LastPusher,
}

/// <summary>One reviewer's standing against one approval requirement.</summary>
public sealed record ReviewerStanding(string Reviewer, ReviewerVerdict Verdict, string Reason);

/// <summary>An approval requirement of one rule, with who counted and who did not.</summary>
public sealed record ApprovalRequirementResult
{
    /// <summary>The rule that demands it.</summary>
    public required string Rule { get; init; }

    /// <summary>Human label of who may approve: "group seniors", "users alice, bob", "team acme/appsec".</summary>
    public required string From { get; init; }

    public required int Required { get; init; }
    public required int Approved { get; init; }
    public int Missing => Math.Max(0, Required - Approved);
    public bool Vetoed { get; init; }
    public bool Satisfied => Missing == 0 && !Vetoed;
    public IReadOnlyList<ReviewerStanding> Reviewers { get; init; } = [];

    /// <summary>Users who may approve and are not excluded (candidates to request).</summary>
    public IReadOnlyList<string> EligibleUsers { get; init; } = [];

    /// <summary>Teams / groups that may approve (to request as teams).</summary>
    public IReadOnlyList<string> EligibleTeams { get; init; } = [];
}

[JsonConverter(typeof(JsonStringEnumConverter<CheckRequirementState>))]
public enum CheckRequirementState
{
    [JsonStringEnumMemberName("passed")] Passed,
    [JsonStringEnumMemberName("pending")] Pending,
    [JsonStringEnumMemberName("missing")] Missing,
    [JsonStringEnumMemberName("failed")] Failed,
}

public sealed record CheckRequirementResult
{
    public required string Rule { get; init; }

    /// <summary>The name or glob the rule asked for.</summary>
    public required string Pattern { get; init; }

    /// <summary>Who must report it ("app github-actions", "source pipeline"); null when any source counts.</summary>
    public string? Pin { get; init; }

    /// <summary>The pattern with its pin, as the check output names the requirement: "build (app github-actions)".</summary>
    public string Label => Pin is null ? Pattern : $"{Pattern} ({Pin})";

    public required CheckRequirementState State { get; init; }

    /// <summary>The checks that matched, with their state ("build: success").</summary>
    public IReadOnlyList<string> Matched { get; init; } = [];

    /// <summary>Checks of a matching name a pinned requirement did not accept, with who reported them ("build: success (commit status)").</summary>
    public IReadOnlyList<string> Ignored { get; init; } = [];

    /// <summary>One sentence explaining the state.</summary>
    public string Reason { get; init; } = "";
}

public sealed record BlockResult(string Rule, string Message);

/// <summary>
/// A break-glass override in force for this head (<c>/reviewbot override &lt;reason&gt;</c> from an allowed person):
/// who, why, when, in which comment, and which unmet requirements it lifted.
/// </summary>
public sealed record OverrideRecord
{
    public required long CommentId { get; init; }
    public required string By { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset At { get; init; }

    /// <summary>The head it was given on; the next push ends it.</summary>
    public required string HeadSha { get; init; }

    /// <summary>The unmet requirements it lifted ("rule: what was missing").</summary>
    public IReadOnlyList<string> Lifted { get; init; } = [];

    /// <summary>Unmet requirements of rules listed in <c>overrides.never</c>: they still stand.</summary>
    public IReadOnlyList<string> Kept { get; init; } = [];

    /// <summary>Rules no override lifts (<c>overrides.never</c>).</summary>
    public IReadOnlyList<string> Never { get; init; } = [];

    /// <summary>Whether the override lifts the requirements of <paramref name="rule"/>.</summary>
    public bool Lifts(string rule) => !Never.Contains(rule, StringComparer.OrdinalIgnoreCase);
}

/// <summary>ReviewBot's answer to one <c>/reviewbot</c> command, posted in the thread once.</summary>
public sealed record CommandAnswer(long CommentId, string By, string Command, bool Accepted, string Text);

/// <summary>A rules-file problem, positioned.</summary>
public sealed record RulesError(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}

/// <summary>What the rules demand of this change and whether it has it. The same value feeds the check,
/// the CLI and the audit log.</summary>
public sealed record Decision
{
    public required DecisionState State { get; init; }

    /// <summary>One line, e.g. "Needs 1 approval from seniors" or "Blocked: AI agents may not change CI workflows".</summary>
    public required string Title { get; init; }

    /// <summary>Markdown summary for the check run / note / CLI.</summary>
    public required string Summary { get; init; }

    public IReadOnlyList<RuleResult> Rules { get; init; } = [];
    public IReadOnlyList<ApprovalRequirementResult> Approvals { get; init; } = [];
    public IReadOnlyList<CheckRequirementResult> Checks { get; init; } = [];
    public IReadOnlyList<BlockResult> Blocks { get; init; } = [];

    /// <summary>Labels the applied rules ask to apply.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Users to request reviews from (never the author or the initiator).</summary>
    public IReadOnlyList<string> ReviewersToRequest { get; init; } = [];

    /// <summary>Teams / groups to request reviews from.</summary>
    public IReadOnlyList<string> TeamsToRequest { get; init; } = [];

    /// <summary>Rules-file errors (state is Fail when any).</summary>
    public IReadOnlyList<RulesError> Errors { get; init; } = [];

    /// <summary>
    /// Errors of the rules file as this change would leave it (a PR that edits the rules). Reported before
    /// merge; state is Fail when any, so a change cannot break the gate for everyone after it.
    /// </summary>
    public IReadOnlyList<RulesError> HeadRulesErrors { get; init; } = [];

    /// <summary>Path of the rules file the decision used; null when there are no rules anywhere (nothing enforced).</summary>
    public string? RulesPath { get; init; }

    /// <summary>Remarks about how the decision was reached (e.g. "teams are not resolved locally").</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The override in force for this head, when an allowed person gave one; it lifts <see cref="OverrideRecord.Lifted"/>.</summary>
    public OverrideRecord? Override { get; init; }

    /// <summary>
    /// The findings eligible reviewers dismissed for this head (<c>/reviewbot dismiss</c>): the rules saw the risk report
    /// without them (see "commands" in rules/README.md).
    /// </summary>
    public IReadOnlyList<DismissedFinding> Dismissals { get; init; } = [];

    /// <summary>What the change demanded before the dismissals and no longer does ("rule: 1 approval from group security").</summary>
    public IReadOnlyList<string> LiftedByDismissals { get; init; } = [];

    /// <summary>Answers to the <c>/reviewbot</c> commands of this head, accepted and refused.</summary>
    public IReadOnlyList<CommandAnswer> Commands { get; init; } = [];

    /// <summary>True when no rules file exists anywhere (and the change adds none with errors): nothing is
    /// enforced and the check is neutral.</summary>
    public bool NoRules => RulesPath is null && Errors.Count == 0 && HeadRulesErrors.Count == 0;
}
