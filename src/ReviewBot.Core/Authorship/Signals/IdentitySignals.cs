using ReviewBot.Core.Authorship.Catalog;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Authorship.Signals;

/// <summary>
/// Agent and automation identities: the PR author account, the GitHub App that opened it, commit
/// author/committer identities and verified signers. Matched by numeric id, exact login or exact email.
/// </summary>
public sealed class IdentitySignals : ISignalFamily
{
    /// <summary>A signer is named by the platform that verified the signature: its login is the platform's word.</summary>
    private static readonly IdentityFacts SignerFacts = new() { LoginsVerified = true };

    public IEnumerable<Evidence> InPullRequest(PullRequestSnapshot pullRequest, SignalContext context)
    {
        if (context.Identities.MatchAccount(pullRequest.Author, context.Facts) is { } author)
        {
            // An account the platform authenticated is platform-controlled; otherwise the "author" is a git identity.
            var local = !context.Facts.AuthorIsAccount;
            yield return Make(author, "pr-author", Where.PrAuthor, $"{pullRequest.Author.Display} ({author.How})",
                local ? author.Identity.GitStrength : SignalStrength.Strong, author.Identity.AsAuthor, forgeable: local,
                note: local ? author.Identity.Note : PlatformNote(author.Identity));
        }

        if (context.Identities.MatchApp(pullRequest.PerformedViaApp) is { } app)
        {
            yield return Make(app, "pr-app", Where.PrApp, app.How, SignalStrength.Strong, app.Identity.AsAuthor, forgeable: false,
                note: PlatformNote(app.Identity));
        }
    }

    public IEnumerable<Evidence> InCommit(Commit commit, SignalContext context)
    {
        var author = context.Identities.MatchAccount(commit.Author, context.Facts);
        var committer = context.Identities.MatchAccount(commit.Committer, context.Facts);

        // A verified signature vouches for the committer: it confirms the author only when both are the same identity.
        if (author is not null)
        {
            var vouched = commit.SignatureVerified == true && committer?.Identity == author.Identity;
            yield return CommitIdentity(commit, author, "commit-author", "author", commit.Author, author.Identity.AsAuthor, vouched);
        }

        // An agent committing someone else's change (rare): it touched the commit, so at most ai-assisted.
        if (committer is not null && !committer.Identity.IsAutomation && committer.Identity != author?.Identity)
        {
            yield return CommitIdentity(commit, committer, "committer", "committer", commit.Committer, AuthorshipKind.AiAssisted,
                commit.SignatureVerified == true);
        }

        if (commit.SignatureVerified == true && commit.Signer is { Length: > 0 } signer
            && context.Identities.MatchAccount(new Person { Login = signer }, SignerFacts) is { } signed)
        {
            yield return Make(signed, "signature", Where.InCommit(commit, "signature"), $"signed by {signer} (verified)",
                SignalStrength.Strong, signed.Identity.AsAuthor, forgeable: false, note: "the platform verified this signature");
        }
    }

    /// <summary>Platform-reported accounts are not forgeable; only the organisation's own note is worth showing.</summary>
    private static string? PlatformNote(KnownIdentity identity) => identity.Organisation ? identity.Note : null;

    private static Evidence CommitIdentity(Commit commit, IdentityMatch match, string what, string part, Person person,
        AuthorshipKind implies, bool vouched)
    {
        var strength = match.Identity.GitStrength;
        var forgeable = true;
        var note = match.Identity.Note;
        switch (commit.SignatureVerified)
        {
            case true when vouched && match.Identity.GitHubId is not null:
                forgeable = false;
                note = "the platform verified the commit signature";
                break;
            case false when strength == SignalStrength.Strong:
                strength = SignalStrength.Medium;
                note = "the signature is not verified: git identities can be forged";
                break;
        }

        return Make(match, what, Where.InCommit(commit, part), $"{Where.Identity(person)} ({match.How})", strength, implies, forgeable, note);
    }

    internal static Evidence Make(IdentityMatch match, string what, string location, string matched, SignalStrength strength,
        AuthorshipKind implies, bool forgeable, string? note = null) => new()
    {
        Signal = $"{match.Identity.Key}.{what}",
        Agent = match.Identity.Agent,
        Location = location,
        Matched = Where.Excerpt(matched),
        Strength = strength,
        Implies = implies,
        Forgeable = forgeable,
        Note = note,
    };
}
