using System.Text.RegularExpressions;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Authorship.Catalog;

/// <summary>A catalog identity that matched, and how (shown in the evidence).</summary>
public sealed record IdentityMatch(KnownIdentity Identity, string How);

/// <summary>
/// Looks people up in the built-in identities plus the organisation's additions. Display names are never
/// compared: only numeric ids, exact logins, exact emails and app slugs.
/// </summary>
public sealed partial class IdentityCatalog
{
    private readonly IReadOnlyList<KnownIdentity> _identities;

    public IdentityCatalog(IEnumerable<KnownIdentity> identities)
    {
        _identities = [.. identities];
    }

    public IReadOnlyList<KnownIdentity> Identities => _identities;

    /// <summary>Built-in identities first, then those the rules file adds.</summary>
    public static IdentityCatalog Create(AgentCatalogExtension extension)
        => new(BuiltInIdentities.All.Concat(FromExtension(extension)));

    /// <summary>A git identity (commit author/committer, co-author trailer): exact email, then the noreply numeric id.</summary>
    public IdentityMatch? MatchEmail(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return null;
        }

        email = email.Trim();
        if (MatchExactEmail(email) is { } exact)
        {
            return exact;
        }

        if (NoreplyAddress.TryParse(email, out var noreply))
        {
            if (noreply.Id is { } id)
            {
                var byId = _identities.FirstOrDefault(i => i.GitHubId == id);
                return byId is null ? null : new(byId, $"noreply id {id}");
            }

            // Old-style noreply without id: only identities that have no known id can match on login.
            var byLogin = _identities.FirstOrDefault(i => i.GitHubId is null && HasLogin(i, noreply.Login));
            return byLogin is null ? null : new(byLogin, $"noreply login {noreply.Login}");
        }

        return null;
    }

    private IdentityMatch? MatchExactEmail(string? email)
    {
        var trimmed = email?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        var identity = _identities.FirstOrDefault(i => i.Emails.Any(e => e.Equals(trimmed, StringComparison.OrdinalIgnoreCase)));
        return identity is null ? null : new(identity, $"email {trimmed}");
    }

    /// <summary>
    /// A platform account (PR author, assignee, the account GitHub resolved for a commit): an exact catalog
    /// email first (<c>41898282+claude[bot]@…</c> resolves to github-actions' account, but is Claude), then
    /// the numeric id where the platform's ids are GitHub's, then the exact login (where the platform does not verify
    /// logins — GitLab usernames are free to pick — only for bot accounts or logins the organisation listed), then
    /// the noreply address.
    /// </summary>
    public IdentityMatch? MatchAccount(Person person, IdentityFacts facts)
    {
        if (MatchExactEmail(person.Email) is { } exact)
        {
            return exact;
        }

        ArgumentNullException.ThrowIfNull(facts);
        var githubId = facts.AccountIdsAreGitHubIds ? person.Id : null;
        if (githubId is { } id && _identities.FirstOrDefault(i => i.GitHubId == id) is { } byId)
        {
            return new(byId, $"account id {id}");
        }

        if (!string.IsNullOrWhiteSpace(person.Login))
        {
            // A known account id that is not the identity's id wins over the login.
            var loginTrusted = facts.LoginsVerified || person.IsBot;
            var byLogin = _identities.FirstOrDefault(i => HasLogin(i, person.Login)
                && (i.Organisation || (loginTrusted && (githubId is null || i.GitHubId is null))));
            if (byLogin is not null)
            {
                return new(byLogin, $"login {person.Login}");
            }
        }

        return MatchEmail(person.Email);
    }

    /// <summary>
    /// The text is the login of a catalog account (<c>dependabot[bot]</c>, <c>copilot-swe-agent[bot]</c>): as a git
    /// name on another address it is a spoof, never evidence.
    /// </summary>
    public bool IsKnownLogin(string? text) => !string.IsNullOrWhiteSpace(text) && _identities.Any(i => HasLogin(i, text.Trim()));

    /// <summary>A GitHub App slug (<c>performed_via_github_app</c>).</summary>
    public IdentityMatch? MatchApp(string? slug)
    {
        if (string.IsNullOrWhiteSpace(slug))
        {
            return null;
        }

        var identity = _identities.FirstOrDefault(i => i.AppSlugs.Any(a => a.Equals(slug, StringComparison.OrdinalIgnoreCase)));
        return identity is null ? null : new(identity, $"GitHub App {slug}");
    }

    /// <summary>Exact login; GraphQL / gh CLI spell app bots "app/slug", which is compared without the prefix.</summary>
    private static bool HasLogin(KnownIdentity identity, string login)
    {
        var bare = login.StartsWith("app/", StringComparison.OrdinalIgnoreCase) ? login[4..] : login;
        return identity.Logins.Any(l => l.Equals(login, StringComparison.OrdinalIgnoreCase) || l.Equals(bare, StringComparison.OrdinalIgnoreCase))
            || identity.AppSlugs.Any(a => login.Length > bare.Length && a.Equals(bare, StringComparison.OrdinalIgnoreCase));
    }

    private static IEnumerable<KnownIdentity> FromExtension(AgentCatalogExtension extension)
    {
        foreach (var login in Distinct(extension.Logins))
        {
            yield return Organisation(AgentIdOf(login), AuthorshipKind.AiAuthored, AuthorshipKind.AiAssisted) with { Logins = [login] };
        }

        foreach (var email in Distinct(extension.Emails))
        {
            yield return Organisation(email.ToLowerInvariant(), AuthorshipKind.AiAuthored, AuthorshipKind.AiAssisted) with { Emails = [email] };
        }

        foreach (var login in Distinct(extension.AutomationLogins))
        {
            yield return Organisation(AgentIdOf(login), AuthorshipKind.Automation, AuthorshipKind.Automation) with { Logins = [login] };
        }

        foreach (var email in Distinct(extension.AutomationEmails))
        {
            yield return Organisation(email.ToLowerInvariant(), AuthorshipKind.Automation, AuthorshipKind.Automation) with { Emails = [email] };
        }
    }

    private static IEnumerable<string> Distinct(IEnumerable<string> values)
        => values.Select(v => v.Trim()).Where(v => v.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase);

    private static KnownIdentity Organisation(string agent, AuthorshipKind asAuthor, AuthorshipKind asCoAuthor) => new()
    {
        Key = "org", Agent = agent, AsAuthor = asAuthor, AsCoAuthor = asCoAuthor, Organisation = true,
        Note = "listed in the rules file's agents section",
    };

    /// <summary>The agent id of an organisation login: lower case, without the <c>[bot]</c> suffix.</summary>
    public static string AgentIdOf(string login)
        => BotSuffix().Replace(login.Trim(), "").ToLowerInvariant();

    [GeneratedRegex(@"\[bot\]$", RegexOptions.IgnoreCase)]
    private static partial Regex BotSuffix();
}
