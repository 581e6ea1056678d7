using ReviewBot.Core.Authorship;
using ReviewBot.Core.Authorship.Catalog;
using ReviewBot.Core.Decisions;
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

    /// <summary><c>/reviewbot</c> followed by something ReviewBot does not know.</summary>
    Unknown,
}

/// <summary>A parsed <c>/reviewbot</c> command: what it asks and the rest of the comment (the reason).</summary>
public sealed record ReviewBotCommand(CommandKind Kind, string Verb, string Argument)
{
    public const string Prefix = "/reviewbot";

    /// <summary>The command verbs, for documentation and replies.</summary>
    public static IReadOnlyList<string> Verbs { get; } = ["override", "recheck"];

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
            _ => CommandKind.Unknown,
        };
        return new ReviewBotCommand(kind, verb, argument);
    }

    /// <summary>True when <paramref name="body"/> is addressed to ReviewBot (the webhook adapters queue only these comments).</summary>
    public static bool IsCommand(string? body) => Parse(body).Kind != CommandKind.None;
}

/// <summary>
/// Judges the <c>/reviewbot</c> commands of the current head against the rules' <c>overrides:</c> section. Commands
/// come from the platform's own list of the pull request's comments (the author is the account the platform names);
/// a command counts only when written after the current head arrived (<see cref="PullRequestSnapshot.HeadPushedAt"/>),
/// so an override ends with the next push, and when the platform cannot say when the head arrived no override counts.
/// Who may override reuses <see cref="IndependentHuman"/>: never a bot, and never the author, a commit author or the
/// initiator unless <c>author_can_override</c> / <c>initiator_can_override</c> allow it.
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
    public (IReadOnlyList<CommandAnswer> Answers, OverrideRecord? Override) Evaluate()
    {
        var answers = new List<CommandAnswer>();
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
                case CommandKind.Recheck:
                    answers.Add(new CommandAnswer(comment.Id, by, "recheck", true, $"re-evaluated head {snapshot.ShortHeadSha}"));
                    break;
                default:
                    answers.Add(new CommandAnswer(comment.Id, by, command.Verb, false,
                        $"unknown command '{command.Verb}'; ReviewBot knows: " + string.Join(", ", ReviewBotCommand.Verbs.Select(v => ReviewBotCommand.Prefix + " " + v))));
                    break;
            }
        }

        return (answers, accepted);
    }

    /// <summary>
    /// A command written before the head arrived belonged to an older head and is not answered again. When the platform
    /// cannot say when the head arrived every command is answered, and no override counts.
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

        var defaults = new PolicyDefaults
        {
            AuthorCanApprove = policy.AuthorCanOverride,
            CommitAuthorsCanApprove = policy.AuthorCanOverride,
            InitiatorCanApprove = policy.InitiatorCanOverride,
            ExcludeLastPusher = ruleDefaults.ExcludeLastPusher,
        };
        if (new IndependentHuman(snapshot, authorship, defaults, catalog).Exclusion(comment.Author, botsCanApprove: false) is { } excluded)
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

    private static string Who(OverridePolicy policy)
        => string.Join(", ", policy.Groups.Select(g => "group " + g).Concat(policy.Users.Select(u => "@" + u)).Concat(policy.Teams.Select(t => "team " + t)));
}
