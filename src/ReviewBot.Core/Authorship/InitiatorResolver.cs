using System.Text.RegularExpressions;
using ReviewBot.Core.Authorship.Catalog;
using ReviewBot.Core.Authorship.Signals;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Authorship;

/// <summary>
/// The human who dispatched the agent, where it can be known. Platform facts first: the platform's own events
/// (the person who assigned the agent, or whom the agent assigned when it opened the pull request) and the human
/// account that opened a pull request an agent wrote (Codex cloud, Cursor). Then git identities: the human
/// co-author of an agent's commit (the requester) or the human author of a commit a CLI agent assisted. Last, text
/// the author can edit: a "Requested by" / "started by @" line in the body (Devin, Jules) and the human assignees
/// of an agent-opened pull request. Every claim is kept (all are excluded from approving); editable text can only
/// add people, and an initiator known only from it has low confidence.
/// </summary>
internal static partial class InitiatorResolver
{
    public static string? ForCommit(Commit commit, AuthorshipKind kind, SignalContext context)
    {
        if (kind < AuthorshipKind.AiAssisted)
        {
            return null;
        }

        if (!IsMachineIdentity(commit.Author, context))
        {
            return Label(commit.Author);
        }

        var coAuthor = TrailerIdentity.CoAuthors(commit)
            .Select(c => c.Identity)
            .FirstOrDefault(i => !i.HasPlaceholderAddress && !IsMachineIdentity(new Person { Email = i.Email }, context));
        if (coAuthor is not null)
        {
            return coAuthor.Label;
        }

        return IsMachineIdentity(commit.Committer, context) || IsPlatformIdentity(commit.Committer) ? null : Label(commit.Committer);
    }

    /// <param name="metadataIsAi">The PR's own metadata (author, app, branch, body, labels) carries AI evidence.</param>
    public static IReadOnlyList<InitiatorClaim> ForPullRequest(PullRequestSnapshot pullRequest, AuthorshipKind kind, bool metadataIsAi,
        IReadOnlyList<CommitAuthorship> commits, SignalContext context)
    {
        if (kind < AuthorshipKind.AiAssisted)
        {
            return [];
        }

        var claims = new List<InitiatorClaim>();
        void Add(string? identity, InitiatorSource source, string how)
        {
            if (!string.IsNullOrWhiteSpace(identity) && !claims.Any(c => string.Equals(c.Identity, identity, StringComparison.OrdinalIgnoreCase)))
            {
                claims.Add(new InitiatorClaim(identity, source, how));
            }
        }

        foreach (var dispatch in pullRequest.Dispatchers.Where(d => !IsMachine(d.Person, context)))
        {
            Add(dispatch.Person.Login ?? Label(dispatch.Person), InitiatorSource.Platform, dispatch.Fact);
        }

        var author = pullRequest.Author;
        var known = author.Login is not null || author.Email is not null || author.Name is not null;
        var humanAuthor = known && !IsMachine(author, context) && context.Identities.MatchApp(pullRequest.PerformedViaApp) is null;
        var fromCommits = commits.Where(c => c.Kind >= AuthorshipKind.AiAssisted && c.Initiator is not null).ToList();
        var authorSource = context.Facts.AuthorIsAccount ? InitiatorSource.Platform : InitiatorSource.Commit;

        // A human opened a PR an agent wrote (Codex cloud, Cursor): they dispatched it. When only the commits show
        // AI, the people who ran the tools are named there first.
        if (humanAuthor && metadataIsAi)
        {
            Add(author.Login ?? Label(author), authorSource, "opened the pull request the agent wrote");
        }

        foreach (var commit in fromCommits)
        {
            Add(commit.Initiator, InitiatorSource.Commit, $"git identity in commit {Short(commit.Sha)} (unauthenticated)");
        }

        if (humanAuthor)
        {
            Add(author.Login ?? Label(author), authorSource, "opened the pull request");
        }

        // Text can be edited, so every version the platform kept counts: an edit can add a name, never remove one.
        foreach (var (body, current) in pullRequest.EarlierBodies.Select(b => (b, false)).Prepend((pullRequest.Body, true)))
        {
            var named = RequestedBy().Match(body);
            if (named.Success)
            {
                Add(Where.Excerpt(named.Groups["who"].Value.Trim().TrimStart('@'), 80), InitiatorSource.Text,
                    current ? "named in the pull request body, which the author can edit" : "named in an earlier version of the pull request body");
            }
        }

        if (!humanAuthor)
        {
            foreach (var (assignee, current) in pullRequest.Assignees.Select(a => (a, true)).Concat(pullRequest.EverAssigned.Select(a => (a, false))))
            {
                if (!IsMachine(assignee, context))
                {
                    Add(assignee.Login ?? Label(assignee), InitiatorSource.Text,
                        current ? "assigned to the pull request (assignees can be edited)" : "was assigned to the pull request (unassigned since)");
                }
            }
        }

        return claims;
    }

    /// <summary>High from a platform fact, medium from a git identity, low from editable text only.</summary>
    public static Confidence? ConfidenceOf(IReadOnlyList<InitiatorClaim> claims) => claims.Count == 0 ? null : claims[0].Source switch
    {
        InitiatorSource.Platform => Confidence.High,
        InitiatorSource.Commit => Confidence.Medium,
        _ => Confidence.Low,
    };

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;

    /// <summary>A platform or catalog machine: used for accounts, so text never drops a claimed initiator.</summary>
    private static bool IsMachine(Person person, SignalContext context) => MachineAccounts.IsMachine(person, context.Identities, context.Facts);

    /// <summary>For git identities of a commit also the automation text (a <c>release-bot</c> author ran no agent).</summary>
    private static bool IsMachineIdentity(Person person, SignalContext context) => IsMachine(person, context) || AutomationText.Describes(person) is not null;

    /// <summary><c>GitHub &lt;noreply@github.com&gt;</c>: the web editor / merge button, not a person.</summary>
    private static bool IsPlatformIdentity(Person person)
        => string.Equals(person.Email, "noreply@github.com", StringComparison.OrdinalIgnoreCase);

    private static string? Label(Person person)
    {
        if (person.Login is { Length: > 0 } login)
        {
            return login;
        }

        if (NoreplyAddress.TryParse(person.Email, out var noreply))
        {
            return noreply.Login;
        }

        var name = person.Name is null ? null : AiderSuffix().Replace(person.Name, "").Trim();
        return string.IsNullOrEmpty(name) ? person.Email : name;
    }

    [GeneratedRegex(@"^\s*\**\s*Requested by:?\**\s*(?<who>\S[^\r\n]*?)\s*$|started by @(?<who>[\w-]+)", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex RequestedBy();

    [GeneratedRegex(@"\s*\(aider\)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex AiderSuffix();
}
