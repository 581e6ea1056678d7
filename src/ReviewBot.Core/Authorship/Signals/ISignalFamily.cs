using ReviewBot.Core.Authorship.Catalog;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Authorship.Signals;

/// <summary>
/// What every signal family sees: the identity catalog, the organisation's additions and what the platform vouches
/// for about identities (<see cref="IdentityFacts.None"/> for a commit on its own).
/// </summary>
public sealed record SignalContext(IdentityCatalog Identities, AgentCatalogExtension Extension, IdentityFacts Facts)
{
    public static SignalContext For(AgentCatalogExtension extension, IdentityFacts? facts = null)
        => new(IdentityCatalog.Create(extension), extension, facts ?? IdentityFacts.None);
}

/// <summary>
/// One family of authorship signals (identities, co-author trailers, session trailers, branch prefixes, …).
/// Each match is one <see cref="Evidence"/>: what matched, where, how strong, and what it argues for.
/// </summary>
public interface ISignalFamily
{
    /// <summary>Signals found in one commit (identity, message, trailers).</summary>
    IEnumerable<Evidence> InCommit(Commit commit, SignalContext context) => [];

    /// <summary>Signals found in the pull request's own metadata (author, app, branch, title, body, labels).</summary>
    IEnumerable<Evidence> InPullRequest(PullRequestSnapshot pullRequest, SignalContext context) => [];
}

/// <summary>Small helpers shared by the families: locations and excerpts.</summary>
public static partial class Where
{
    public const string PrAuthor = "pr.author";
    public const string PrApp = "pr.app";
    public const string PrBody = "pr.body";
    public const string PrTitle = "pr.title";
    public const string PrHeadRef = "pr.head_ref";
    public const string PrLabels = "pr.labels";

    public static string InCommit(Commit commit, string part) => $"commit {commit.ShortSha} {part}";

    /// <summary>
    /// A short one-line excerpt (evidence never carries whole bodies), with anything shaped like a platform
    /// token redacted: evidence reaches check output and the audit log.
    /// </summary>
    public static string Excerpt(string text, int max = 160)
    {
        var oneLine = string.Join(' ', text.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        oneLine = TokenLike().Replace(oneLine, "[redacted]");
        return oneLine.Length <= max ? oneLine : oneLine[..(max - 1)] + "…";
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,}|glpat-[\w-]{20,}|xox[abprs]-[\w-]{10,}|AKIA[0-9A-Z]{16}|sk-[A-Za-z0-9_-]{20,})")]
    private static partial System.Text.RegularExpressions.Regex TokenLike();

    /// <summary>"Name &lt;email&gt;" of a git identity.</summary>
    public static string Identity(Person person)
        => person.Email is null ? person.Display : $"{person.Name ?? person.Login} <{person.Email}>".TrimStart();
}
