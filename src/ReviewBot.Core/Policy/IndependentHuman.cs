using ReviewBot.Core.Authorship;
using ReviewBot.Core.Authorship.Catalog;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Policy;

/// <summary>
/// <b>The independent human</b> — the one definition of whose approval can count (documented in rules/README.md,
/// "Who counts as an independent human", and docs/authorship.md). A reviewer is an independent human when they are:
/// <list type="number">
/// <item>not a bot or app (<see cref="MachineAccounts"/>; unless the requirement says <c>bots_can_approve: true</c>);</item>
/// <item>not the author of the pull request (unless <c>author_can_approve</c>);</item>
/// <item>not anyone named as the initiator — platform events, git identities or editable text alike (unless
/// <c>initiator_can_approve</c>);</item>
/// <item>not an author or co-author of the commits: the account the platform matched the git identity to, and, for
/// identities the platform could not match, anyone who cannot be told apart from them (unless
/// <c>commit_authors_can_approve</c>);</item>
/// <item>with <c>exclude_last_pusher: true</c>, not whoever pushed the latest commits.</item>
/// </list>
/// </summary>
internal sealed class IndependentHuman
{
    private readonly PullRequestSnapshot _snapshot;
    private readonly AuthorshipVerdict _authorship;
    private readonly PolicyDefaults _defaults;
    private readonly IdentityCatalog _catalog;
    private readonly IReadOnlyList<CommitIdentity> _commitIdentities;

    public IndependentHuman(PullRequestSnapshot snapshot, AuthorshipVerdict authorship, PolicyDefaults defaults, IdentityCatalog catalog)
    {
        _snapshot = snapshot;
        _authorship = authorship;
        _defaults = defaults;
        _catalog = catalog;
        _commitIdentities = Identities.CommitIdentities(snapshot);
    }

    /// <summary>Commit authors and co-authors the platform could not match to an account (listed in the decision's notes).</summary>
    public IReadOnlyList<CommitIdentity> Unmatched => [.. _commitIdentities.Where(i => i.Account is null)];

    /// <summary>Why <paramref name="reviewer"/> is not an independent human, or null when they are.</summary>
    public (ReviewerVerdict Verdict, string Reason)? Exclusion(Person reviewer, bool botsCanApprove)
    {
        if (!botsCanApprove && MachineAccounts.IsMachine(reviewer, _catalog, _snapshot.IdentityFacts))
        {
            return (ReviewerVerdict.Bot, "is a bot or app account; bots never count as a human approval (bots_can_approve: false)");
        }

        if (!_defaults.AuthorCanApprove && reviewer.Login is { } login && Identities.PersonIs(_snapshot.Author, login))
        {
            return (ReviewerVerdict.Author, "is the author of the pull request (author_can_approve: false)");
        }

        if (!_defaults.InitiatorCanApprove && Initiator(reviewer) is { } claim)
        {
            return (ReviewerVerdict.Initiator, $"dispatched the agent that made the change ({claim.How}; initiator_can_approve: false)");
        }

        if (!_defaults.CommitAuthorsCanApprove && CommitAuthor(reviewer) is { } reason)
        {
            return (ReviewerVerdict.CoAuthor, reason + " (commit_authors_can_approve: false)");
        }

        if (_defaults.ExcludeLastPusher && LastPusher(reviewer) is { } pushed)
        {
            return (ReviewerVerdict.LastPusher, pushed + " (exclude_last_pusher: true)");
        }

        return null;
    }

    /// <summary>Never request a review from the author or anyone named as the initiator.</summary>
    public bool MayBeRequested(string login)
        => !Identities.PersonIs(_snapshot.Author, login) && Initiator(new Person { Login = login }) is null;

    private InitiatorClaim? Initiator(Person reviewer)
    {
        if (reviewer.Login is not { } login)
        {
            return null;
        }

        var claims = _authorship.Initiators.Count > 0 || _authorship.Initiator is null
            ? _authorship.Initiators
            : [new InitiatorClaim(_authorship.Initiator, InitiatorSource.Text, "named as the initiator")];
        return claims.FirstOrDefault(c => Identities.IdentityIs(c.Identity, login));
    }

    private string? CommitAuthor(Person reviewer)
    {
        if (_commitIdentities.FirstOrDefault(i => i.Account is { } account && Identities.SameAccount(account, reviewer)) is { } matched)
        {
            return $"authored or co-authored commits of the change as {matched.Label}, matched by the platform";
        }

        if (_commitIdentities.FirstOrDefault(i => i.Account is null && Identities.CannotTellApart(i.Git, reviewer)) is { } unmatched)
        {
            return $"cannot be told apart from {unmatched.Label}, an author or co-author of the commits the platform could not match to an account";
        }

        return null;
    }

    private string? LastPusher(Person reviewer)
    {
        if (_snapshot.LastPush is { } push)
        {
            return Identities.SameAccount(push.Pusher, reviewer) ? $"pushed the latest commits ({push.Source})" : null;
        }

        // The platform did not say who pushed: the committer of the head commit stands in, matched loosely.
        var head = _snapshot.Commits.LastOrDefault(c => string.Equals(c.Sha, _snapshot.HeadSha, StringComparison.OrdinalIgnoreCase));
        return head is not null && Identities.CannotTellApart(head.Committer, reviewer)
            ? $"cannot be told apart from {head.Committer.Display}, who committed the head (the platform did not report the last push)"
            : null;
    }
}
