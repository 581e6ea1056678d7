using ReviewBot.Core.Ports;

namespace ReviewBot.Pipeline.Ports;

/// <summary>
/// The organisation's rules: a repository other than the one under review (GitHub: the owner's <c>.github</c>
/// repository; GitLab: the policy project configured for the group; CLI: <c>--org-rules FILE</c>).
/// </summary>
public sealed record OrganisationRules
{
    /// <summary>How the source is named in messages and the audit log, e.g. "acme/.github"; empty for a local file.</summary>
    public required string Name { get; init; }

    public required IRevisionFiles Files { get; init; }

    /// <summary>The revision read: "HEAD" (the default branch) on the platforms.</summary>
    public required string Revision { get; init; }

    /// <summary>The paths looked for, in order; null: the same paths as in the repository.</summary>
    public IReadOnlyList<string>? Paths { get; init; }
}

/// <summary>Where the rules of one repository are found: what a platform session gives the rules locator.</summary>
public sealed record RulesLocation
{
    /// <summary>The repository under review (read at the base commit, and at the head when the change touches its rules).</summary>
    public required IRevisionFiles Repository { get; init; }

    public OrganisationRules? Organisation { get; init; }

    /// <summary>The paths looked for, in order (the first that exists wins); null: the documented default list.</summary>
    public IReadOnlyList<string>? Paths { get; init; }

    /// <summary>Without a rules file in the repository or the organisation, apply the built-in policy (rules/default.yml).</summary>
    public bool UseBuiltInDefault { get; init; } = true;
}
