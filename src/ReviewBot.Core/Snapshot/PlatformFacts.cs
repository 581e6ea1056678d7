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
