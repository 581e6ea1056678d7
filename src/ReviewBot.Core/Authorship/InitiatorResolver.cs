using System.Text.RegularExpressions;
using ReviewBot.Core.Authorship.Catalog;
using ReviewBot.Core.Authorship.Signals;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Authorship;

/// <summary>
/// The human who dispatched the agent, where it can be known: the person named in the PR body (Devin's
/// "Requested by", Jules' "started by @"), the human assignee of an agent-opened PR (Copilot coding
/// agent), the human who opened a PR an agent wrote (Codex cloud), the human co-author of an agent's
/// commit (the requester), or the human author of a commit a CLI agent assisted.
/// </summary>
internal static partial class InitiatorResolver
{
    public static string? ForCommit(Commit commit, AuthorshipKind kind, SignalContext context)
    {
        if (kind < AuthorshipKind.AiAssisted)
        {
            return null;
        }

        if (!IsMachine(commit.Author, context))
        {
            return Label(commit.Author);
        }

        var coAuthor = TrailerIdentity.CoAuthors(commit)
            .Select(c => c.Identity)
            .FirstOrDefault(i => !i.HasPlaceholderAddress && !IsMachine(new Person { Email = i.Email }, context));
        if (coAuthor is not null)
        {
            return coAuthor.Label;
        }

        return IsMachine(commit.Committer, context) || IsPlatformIdentity(commit.Committer) ? null : Label(commit.Committer);
    }

    /// <param name="metadataIsAi">The PR's own metadata (author, app, branch, body, labels) carries AI evidence.</param>
    public static string? ForPullRequest(PullRequestSnapshot pullRequest, AuthorshipKind kind, bool metadataIsAi,
        IReadOnlyList<CommitAuthorship> commits, SignalContext context)
    {
        if (kind < AuthorshipKind.AiAssisted)
        {
            return null;
        }

        var named = RequestedBy().Match(pullRequest.Body);
        if (named.Success)
        {
            return Where.Excerpt(named.Groups["who"].Value.Trim().TrimStart('@'), 80);
        }

        var author = pullRequest.Author;
        var known = author.Login is not null || author.Email is not null || author.Name is not null;
        var humanAuthor = known && !IsMachine(author, context) && context.Identities.MatchApp(pullRequest.PerformedViaApp) is null;
        var fromCommits = commits.Where(c => c.Kind >= AuthorshipKind.AiAssisted).Select(c => c.Initiator).FirstOrDefault(i => i is not null);

        if (humanAuthor)
        {
            // A human opened a PR an agent wrote (Codex cloud, Cursor): they dispatched it. When only the
            // commits show AI, the people who ran the tools are named there.
            return metadataIsAi ? author.Login ?? Label(author) : fromCommits ?? author.Login ?? Label(author);
        }

        // An agent or bot opened it: the human it was assigned to (Copilot coding agent), else the requester in the commits.
        var assignee = pullRequest.Assignees.FirstOrDefault(a => !IsMachine(a, context));
        return assignee is not null ? assignee.Login ?? Label(assignee) : fromCommits;
    }

    /// <summary>An agent, a bot or an automation identity rather than a person.</summary>
    private static bool IsMachine(Person person, SignalContext context)
        => person.IsBot
            || (person.Login?.EndsWith("[bot]", StringComparison.OrdinalIgnoreCase) ?? false)
            || (NoreplyAddress.TryParse(person.Email, out var noreply) && noreply.IsBot)
            || context.Identities.MatchAccount(person, context.Platform) is not null;

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
