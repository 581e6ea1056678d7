namespace ReviewBot.Core.Snapshot;

/// <summary>The latest push to the pull request's head, as the platform recorded it (who pushed, which head, when).</summary>
public sealed record Push
{
    /// <summary>The account that pushed (GitHub: the push activity's actor; GitLab: the author of the "added commits" system note).</summary>
    public required Person Pusher { get; init; }

    /// <summary>The head the push produced, when the platform says.</summary>
    public string? Head { get; init; }

    public DateTimeOffset? At { get; init; }

    /// <summary>Where the fact comes from, for explanations (e.g. "GitHub push activity").</summary>
    public required string Source { get; init; }
}

/// <summary>
/// A person the platform itself says dispatched the agent (assigned it, or was assigned by it when it opened the
/// pull request) — an event the author of the pull request cannot edit afterwards.
/// </summary>
public sealed record Dispatch
{
    public required Person Person { get; init; }

    /// <summary>The platform event, in words (e.g. "assigned Copilot to the pull request (issue event 12)").</summary>
    public required string Fact { get; init; }
}

/// <summary>
/// A git identity (commit author or <c>Co-authored-by</c>) and the account the platform resolved it to: GitHub
/// through the verified emails of its accounts, GitLab through a user's public email. <see cref="Account"/> null
/// means the platform was asked and knows no account for that email.
/// </summary>
public sealed record ResolvedIdentity
{
    public required string Email { get; init; }

    public Person? Account { get; init; }
}

/// <summary>
/// What the adapter that built a snapshot vouches for about the people on it. Platforms differ here (GitHub logins
/// are accounts nobody else can take, GitLab usernames are free to pick, a local range has only git identities), and
/// the core reads these facts instead of asking which platform it is. Every fact defaults to "not vouched for", so
/// an adapter that says nothing — a new platform, an old recording — gets the fail-closed reading: logins are not
/// trusted, the author is a git identity anyone can write.
/// </summary>
public sealed record IdentityFacts
{
    /// <summary>Nothing vouched for: a local git range, or an adapter that states no facts.</summary>
    public static IdentityFacts None { get; } = new();

    /// <summary>
    /// The pull request's author is an account the platform authenticated. False: the author is a git identity (a
    /// local range), evidence from it is forgeable and the initiator it names is unauthenticated.
    /// </summary>
    public bool AuthorIsAccount { get; init; }

    /// <summary>
    /// Logins name accounts the platform controls, so an exact login is evidence of who acted. False: a login matches
    /// a catalog identity only when the account is a platform bot (<see cref="Person.IsBot"/>) or the organisation
    /// listed it in its rules file.
    /// </summary>
    public bool LoginsVerified { get; init; }

    /// <summary><see cref="Person.Id"/> holds GitHub account ids, compared with the catalog's GitHub ids.</summary>
    public bool AccountIdsAreGitHubIds { get; init; }

    /// <summary>
    /// The platform matched the commits' git identities to accounts (<see cref="PullRequestSnapshot.ResolvedIdentities"/>):
    /// identities it could not match are named in the decision's notes.
    /// </summary>
    public bool CommitIdentitiesMatched { get; init; }
}
