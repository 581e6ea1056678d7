namespace ReviewBot.Core.Ports;

/// <summary>The rules file text and where it came from.</summary>
public sealed record RulesSource
{
    /// <summary>Path as users know it, e.g. ".github/reviewbot.yml" or "acme/.github:reviewbot.yml".</summary>
    public required string Path { get; init; }

    /// <summary>Commit SHA / blob id of the revision read (for the audit log).</summary>
    public required string Revision { get; init; }

    public required string Text { get; init; }

    /// <summary>"base", "head", "organisation", "built-in", "file".</summary>
    public required string Origin { get; init; }
}

/// <summary>Resolves team / group names from the rules file to member logins.</summary>
public interface IGroupMembership
{
    /// <summary>Members (logins, case-insensitive) of a platform team ("org/team" on GitHub, group path on GitLab).</summary>
    Task<IReadOnlyCollection<string>> GetMembersAsync(string team, CancellationToken cancellationToken = default);

    /// <summary>
    /// Teams asked for that could not be read (each with why), counted as having no members. A decision that read one
    /// cannot pass: the team may decide which rules apply (author and initiator groups), not only who approves.
    /// </summary>
    IReadOnlyList<string> Unreadable => [];
}
