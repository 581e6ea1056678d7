using ReviewBot.Core.Authorship;
using ReviewBot.Core.Authorship.Catalog;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Policy;

/// <summary>
/// The rules file's <c>overrides:</c> section: who may break the glass with <c>/reviewbot override &lt;reason&gt;</c>,
/// whether a reason is required, and which rules no override lifts. Without the section nobody may override.
/// </summary>
public sealed record OverridePolicy
{
    /// <summary>Names of groups from <c>groups:</c> whose members may override.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    public IReadOnlyList<string> Users { get; init; } = [];

    public IReadOnlyList<string> Teams { get; init; } = [];

    /// <summary><c>reason_required</c> (default true): an override without a reason is refused.</summary>
    public bool ReasonRequired { get; init; } = true;

    /// <summary><c>never</c>: names of rules whose requirements an override never lifts.</summary>
    public IReadOnlyList<string> Never { get; init; } = [];

    /// <summary>
    /// <c>author_can_override</c> (default false): the author (and the commit authors) of the pull request may override
    /// it. An organisation decision: when the organisation layer merges rules files, only the organisation's file may set
    /// it (a repository can only tighten), see <see cref="AuthorCanOverridePosition"/>.
    /// </summary>
    public bool AuthorCanOverride { get; init; }

    /// <summary><c>initiator_can_override</c> (default false): whoever dispatched the agent may override its change. An organisation decision like <see cref="AuthorCanOverride"/>.</summary>
    public bool InitiatorCanOverride { get; init; }

    /// <summary>
    /// Where <c>author_can_override</c> or <c>initiator_can_override</c> was set to true (<see cref="SourcePosition.None"/>
    /// when neither was): the hook for the organisation layer, which refuses these loosenings from a repository's file.
    /// </summary>
    public SourcePosition AuthorCanOverridePosition { get; init; }

    public SourcePosition Position { get; init; }
}

/// <summary>What a <c>/reviewbot</c> comment asks for.</summary>
public enum CommandKind
{
    /// <summary>Not a command (the comment does not start with <c>/reviewbot</c>).</summary>
    None,

    /// <summary><c>/reviewbot override &lt;reason&gt;</c>: break-glass for the current head.</summary>
    Override,

    /// <summary><c>/reviewbot recheck</c>: evaluate again (the comment itself is the trigger).</summary>
    Recheck,

    /// <summary><c>/reviewbot dismiss &lt;finding id&gt; &lt;reason&gt;</c>: an eligible reviewer takes responsibility for one risk finding on the current head.</summary>
    Dismiss,

    /// <summary><c>/reviewbot</c> followed by something ReviewBot does not know.</summary>
    Unknown,
}

/// <summary>A parsed <c>/reviewbot</c> command: what it asks and the rest of the comment (the reason).</summary>
public sealed record ReviewBotCommand(CommandKind Kind, string Verb, string Argument)
{
    public const string Prefix = "/reviewbot";

    /// <summary>The command verbs, for documentation and replies.</summary>
    public static IReadOnlyList<string> Verbs { get; } = ["override", "recheck", "dismiss"];

    /// <summary>
    /// Reads a comment: the command is the first line that starts with <c>/reviewbot</c> (case-insensitive, after
    /// spaces); the verb follows, and the rest of that line and the lines after it are the argument (an override's reason).
    /// </summary>
    public static ReviewBotCommand Parse(string? body)
    {
        var text = body ?? "";
        var start = -1;
        var inCodeBlock = false;
        for (var at = 0; at < text.Length && start < 0; at = text.IndexOf('\n', at) is var nl and >= 0 ? nl + 1 : text.Length)
        {
            var line = text.AsSpan(at).TrimStart(" \t");

            // A command shown in a fenced code block (instructions, a quoted transcript) is text, not a command.
            if (line.StartsWith("```", StringComparison.Ordinal) || line.StartsWith("~~~", StringComparison.Ordinal))
            {
                inCodeBlock = !inCodeBlock;
                continue;
            }

            if (!inCodeBlock && line.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && (line.Length == Prefix.Length || char.IsWhiteSpace(line[Prefix.Length])))
            {
                start = text.Length - line.Length;
            }
        }

        if (start < 0)
        {
            return new ReviewBotCommand(CommandKind.None, "", "");
        }

        var rest = text[(start + Prefix.Length)..].TrimStart(' ', '\t');
        var end = rest.IndexOfAny([' ', '\t', '\r', '\n']);
        var verb = (end < 0 ? rest : rest[..end]).Trim();
        var argument = end < 0 ? "" : rest[end..].Trim();
        var kind = verb.ToLowerInvariant() switch
        {
            "override" => CommandKind.Override,
            "recheck" => CommandKind.Recheck,
            "dismiss" => CommandKind.Dismiss,
            _ => CommandKind.Unknown,
        };
        return new ReviewBotCommand(kind, verb, argument);
    }

    /// <summary>The argument's first word and the rest (a dismissal's finding id and reason); empty strings when absent.</summary>
    public (string Target, string Remainder) SplitArgument()
    {
        var end = Argument.AsSpan().IndexOfAny(" \t\r\n");
        return end < 0 ? (Argument, "") : (Argument[..end], Argument[end..].Trim());
    }

    /// <summary>True when <paramref name="body"/> is addressed to ReviewBot (the webhook adapters queue only these comments).</summary>
    public static bool IsCommand(string? body) => Parse(body).Kind != CommandKind.None;
}

/// <summary>
/// What a <c>/reviewbot dismiss</c> is judged against: the change's findings (with their ids) and who could count towards
/// one of its approval requirements before any dismissal (<paramref name="Approvers"/> names those requirements' sources).
/// </summary>
internal sealed record DismissalScope(IReadOnlyList<Finding> Findings, Func<string, bool> CouldApprove, IReadOnlyList<string> Approvers);

/// <summary>
/// Judges the <c>/reviewbot</c> commands of the current head against the rules' <c>overrides:</c> section (override) and
/// the change's approval requirements (dismiss). Commands come from the platform's own list of the pull request's
/// comments (the author is the account the platform names); a command counts only when written after the current head
/// arrived (<see cref="PullRequestSnapshot.HeadPushedAt"/>), so an override or a dismissal ends with the next push, and
/// when the platform cannot say when the head arrived none counts. Who may override or dismiss reuses
/// <see cref="IndependentHuman"/>: never a bot, and never the author, a commit author or the initiator (for an override,
/// unless <c>author_can_override</c> / <c>initiator_can_override</c> allow it). The dismissals returned are candidates:
/// <see cref="DismissalJudge"/> decides which of them may change the decision.
/// </summary>
internal sealed class CommandEvaluator(
    PullRequestSnapshot snapshot,
    AuthorshipVerdict authorship,
    OverridePolicy? policy,
    PolicyDefaults ruleDefaults,
    IReadOnlyDictionary<string, GroupDefinition> groups,
    ResolvedMembership membership,
    IdentityCatalog catalog)
{
    public (IReadOnlyList<CommandAnswer> Answers, OverrideRecord? Override, IReadOnlyList<DismissedFinding> Dismissals) Evaluate(DismissalScope scope)
    {
        var answers = new List<CommandAnswer>();
        var dismissals = new List<DismissedFinding>();
        OverrideRecord? accepted = null;
        foreach (var comment in snapshot.Comments.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id))
        {
            var command = ReviewBotCommand.Parse(comment.Body);
            if (command.Kind == CommandKind.None || !OnCurrentHead(comment))
            {
                continue;
            }

            var by = comment.Author.Login ?? comment.Author.Display;
            if (comment.Edited)
            {
                answers.Add(new CommandAnswer(comment.Id, by, command.Verb, false,
                    "this comment was edited after it was posted, and others than its author can edit comments: post the command in a new comment; nothing changed"));
                continue;
            }

            switch (command.Kind)
            {
                case CommandKind.Override when Refusal(comment, command) is { } refusal:
                    answers.Add(new CommandAnswer(comment.Id, by, "override", false, refusal));
                    break;
                case CommandKind.Override:
                    accepted = new OverrideRecord { CommentId = comment.Id, By = by, Reason = command.Argument, At = comment.CreatedAt, HeadSha = snapshot.HeadSha };
                    answers.Add(new CommandAnswer(comment.Id, by, "override", true, $"override by @{by} recorded for head {snapshot.ShortHeadSha}; it ends with the next push"));
                    break;
                case CommandKind.Dismiss:
                    var (dismissed, text) = Dismissal(comment, command, scope, dismissals);
                    if (dismissed is not null)
                    {
                        dismissals.Add(dismissed);
                    }

                    answers.Add(new CommandAnswer(comment.Id, by, "dismiss", dismissed is not null, text));
                    break;
                case CommandKind.Recheck:
                    answers.Add(new CommandAnswer(comment.Id, by, "recheck", true, $"re-evaluated head {snapshot.ShortHeadSha}"));
                    break;
                default:
                    answers.Add(new CommandAnswer(comment.Id, by, command.Verb, false,
                        $"unknown command '{command.Verb}'; ReviewBot knows: " + string.Join(", ", ReviewBotCommand.Verbs.Select(v => ReviewBotCommand.Prefix + " " + v))));
                    break;
            }
        }

        return (answers, accepted, dismissals);
    }

    /// <summary>
    /// A command written before the head arrived belonged to an older head and is not answered again. When the platform
    /// cannot say when the head arrived every command is answered, and no override or dismissal counts.
    /// </summary>
    private bool OnCurrentHead(Comment comment)
        => snapshot.HeadPushedAt is not { } pushed || comment.CreatedAt >= pushed;

    private string? Refusal(Comment comment, ReviewBotCommand command)
    {
        if (policy is null)
        {
            return "the rules file has no 'overrides:' section, so nobody may override; nothing changed";
        }

        if (snapshot.HeadPushedAt is null)
        {
            return "the platform does not say when the current head was pushed, so an override could outlive it; nothing changed";
        }

        if (NotIndependent(comment.Author, policy.AuthorCanOverride, policy.InitiatorCanOverride) is { } excluded)
        {
            var reason = excluded.Reason.Replace("commit_authors_can_approve", "author_can_override", StringComparison.Ordinal)
                .Replace("author_can_approve", "author_can_override", StringComparison.Ordinal)
                .Replace("initiator_can_approve", "initiator_can_override", StringComparison.Ordinal);
            return excluded.Verdict == ReviewerVerdict.Bot
                ? "a bot or app account may not override; nothing changed"
                : $"@{comment.Author.Login} may not override: {reason}; nothing changed";
        }

        var allowed = membership.Expand(policy.Users.Concat(policy.Groups.SelectMany(g => groups.TryGetValue(g, out var d) ? d.Users : [])),
            policy.Teams.Concat(policy.Groups.SelectMany(g => groups.TryGetValue(g, out var d) ? d.Teams : [])));
        var anyone = policy.Groups.Any(g => groups.TryGetValue(g, out var d) && d.Anyone);
        if (!anyone && (comment.Author.Login is not { } login || !allowed.Contains(login)))
        {
            return $"@{comment.Author.Login} may not override: only {Who(policy)} may; nothing changed";
        }

        return policy.ReasonRequired && command.Argument.Length == 0
            ? "an override needs a reason: /reviewbot override <reason> (reason_required: true); nothing changed"
            : null;
    }

    /// <summary>
    /// A dismissal candidate, or why not: the head must be known, the person an independent human (never the author,
    /// a commit author or the initiator, whatever the rules allow for approvals) who could count towards one of the
    /// change's approval requirements; the id must name a finding of this head not dismissed already, and a reason is required.
    /// </summary>
    private (DismissedFinding? Dismissed, string Answer) Dismissal(Comment comment, ReviewBotCommand command, DismissalScope scope, IReadOnlyList<DismissedFinding> earlier)
    {
        const string Usage = "/reviewbot dismiss <finding id> <reason>";
        const string Unchanged = "; nothing changed";
        var login = comment.Author.Login;
        if (snapshot.HeadPushedAt is null)
        {
            return (null, "the platform does not say when the current head was pushed, so a dismissal could outlive it" + Unchanged);
        }

        if (NotIndependent(comment.Author, authorMay: false, initiatorMay: false) is { } excluded)
        {
            var reason = excluded.Reason.Replace("; initiator_can_approve: false)", ")", StringComparison.Ordinal)
                .Replace(" (author_can_approve: false)", "", StringComparison.Ordinal)
                .Replace(" (commit_authors_can_approve: false)", "", StringComparison.Ordinal);
            return (null, excluded.Verdict == ReviewerVerdict.Bot ? "a bot or app account may not dismiss a finding" + Unchanged : $"@{login} may not dismiss a finding: {reason}{Unchanged}");
        }

        if (login is null || !scope.CouldApprove(login))
        {
            return (null, scope.Approvers.Count == 0
                ? "this change needs no approval, so nobody can take responsibility for a finding by dismissing it" + Unchanged
                : $"@{login} may not dismiss a finding: only someone who could approve this change may ({string.Join("; ", scope.Approvers)}){Unchanged}");
        }

        var (id, why) = command.SplitArgument();
        if (id.Length == 0)
        {
            return (null, $"a dismissal needs a finding id and a reason: {Usage}{Unchanged}");
        }

        if (scope.Findings.FirstOrDefault(f => FindingIds.Names(f, id)) is not { } finding)
        {
            var known = scope.Findings.Select(f => f.Id).Where(i => i.Length > 0).ToList();
            return (null, $"unknown finding id '{id}': " + (known.Count == 0
                ? $"head {snapshot.ShortHeadSha} has no risk findings"
                : $"the findings of head {snapshot.ShortHeadSha} are {string.Join(", ", known.Take(20))}{(known.Count > 20 ? $" and {known.Count - 20} more (see the check)" : "")}") + Unchanged);
        }

        if (why.Length == 0)
        {
            return (null, $"a dismissal needs a reason: {Usage}{Unchanged}");
        }

        if (earlier.FirstOrDefault(d => d.Finding.Id == finding.Id) is { } already)
        {
            return (null, $"finding {finding.Id} is already dismissed by @{already.By}{Unchanged}");
        }

        var dismissal = new DismissedFinding { Finding = finding, By = login, Reason = why, At = comment.CreatedAt, CommentId = comment.Id, HeadSha = snapshot.HeadSha };
        return (dismissal, Accepted(dismissal));
    }

    /// <summary>The answer to a dismissal that stands.</summary>
    public static string Accepted(DismissedFinding d)
        => $"finding {d.Finding.Id} ({d.Finding.RuleId} {d.Finding.Title}, {d.Finding.Path}:{d.Finding.StartLine}) reviewed by @{d.By} for head "
            + $"{d.HeadSha[..Math.Min(7, d.HeadSha.Length)]}: it no longer counts towards the risk level or the rules; it ends with the next push";

    private (ReviewerVerdict Verdict, string Reason)? NotIndependent(Person person, bool authorMay, bool initiatorMay)
    {
        var defaults = new PolicyDefaults
        {
            AuthorCanApprove = authorMay,
            CommitAuthorsCanApprove = authorMay,
            InitiatorCanApprove = initiatorMay,
            ExcludeLastPusher = ruleDefaults.ExcludeLastPusher,
        };
        return new IndependentHuman(snapshot, authorship, defaults, catalog).Exclusion(person, botsCanApprove: false);
    }

    private static string Who(OverridePolicy policy)
        => string.Join(", ", policy.Groups.Select(g => "group " + g).Concat(policy.Users.Select(u => "@" + u)).Concat(policy.Teams.Select(t => "team " + t)));
}
