namespace ReviewBot.Core.Authorship.Catalog;

/// <summary>
/// One account or git identity of an agent or automation bot. Matched by GitHub numeric id (in the
/// <c>ID+login@users.noreply.github.com</c> address or the account id), exact login, exact email or
/// GitHub App slug — never by display name, which anyone can type.
/// </summary>
public sealed record KnownIdentity
{
    /// <summary>Short key used in signal ids, e.g. <c>copilot-cli</c> gives <c>copilot-cli.co-author-trailer</c>.</summary>
    public required string Key { get; init; }

    /// <summary>Agent or automation id reported in verdicts.</summary>
    public required string Agent { get; init; }

    /// <summary>What a commit authored (or a PR opened) by this identity is.</summary>
    public required AuthorshipKind AsAuthor { get; init; }

    /// <summary>What a <c>Co-authored-by</c> trailer naming this identity argues for.</summary>
    public required AuthorshipKind AsCoAuthor { get; init; }

    /// <summary>GitHub user id of the account (the number in its noreply address).</summary>
    public long? GitHubId { get; init; }

    /// <summary>Exact logins (case-insensitive), including the <c>[bot]</c> suffix where GitHub shows one.</summary>
    public IReadOnlyList<string> Logins { get; init; } = [];

    /// <summary>Exact email addresses (case-insensitive), checked before the numeric id.</summary>
    public IReadOnlyList<string> Emails { get; init; } = [];

    /// <summary>GitHub App slugs (<c>performed_via_github_app</c>).</summary>
    public IReadOnlyList<string> AppSlugs { get; init; } = [];

    /// <summary>How much a git identity (email) match is worth; platform accounts are always strong.</summary>
    public SignalStrength GitStrength { get; init; } = SignalStrength.Strong;

    /// <summary>Caveat shown with the evidence.</summary>
    public string? Note { get; init; }

    /// <summary>Added by the organisation's rules file (trusted on every platform).</summary>
    public bool Organisation { get; init; }

    public bool IsAutomation => AsAuthor == AuthorshipKind.Automation;
}
