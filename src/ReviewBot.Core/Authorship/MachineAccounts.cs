using ReviewBot.Core.Authorship.Catalog;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Authorship;

/// <summary>
/// Whether an account or identity is a machine (an agent, a bot, an app, an automation account) rather than a person:
/// the platform's bot flag (GitHub user type <c>Bot</c>, GitLab project/group access token and service-account users),
/// a <c>[bot]</c> login or an <c>app/…</c> login, a bot noreply address, or an identity the catalog or the rules file's
/// <c>agents:</c> section lists. One definition, used for initiators and for who may approve.
/// </summary>
public static class MachineAccounts
{
    public static bool IsMachine(Person person, IdentityCatalog catalog, IdentityFacts facts)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(catalog);
        var login = person.Login?.Trim();
        return person.IsBot
            || (login?.EndsWith("[bot]", StringComparison.OrdinalIgnoreCase) ?? false)
            || (login?.StartsWith("app/", StringComparison.OrdinalIgnoreCase) ?? false)
            || (NoreplyAddress.TryParse(person.Email, out var noreply) && noreply.IsBot)
            // A reviewer named like a catalog agent is a machine even where the platform does not vouch for logins: a
            // machine's approval never counts, so the unverified reading is the one that withholds it (fail closed).
            || catalog.MatchAccount(person, facts with { LoginsVerified = true }) is not null;
    }
}
