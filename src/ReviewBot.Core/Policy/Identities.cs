using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Policy;

/// <summary>
/// Matching a platform login against the identities a change carries (PR author, initiator, commit authors
/// and co-authors). Git identities are names and emails, so a login matches a person when it equals the
/// person's login, their git name, or the local part of their email (GitHub no-reply addresses
/// <c>123+login@users.noreply.github.com</c> included). Case-insensitive. Used to exclude people from
/// approving, so a loose match errs on the safe side.
/// </summary>
public static class Identities
{
    public const string CoAuthorTrailer = "Co-authored-by";

    public static bool SameLogin(string? a, string? b)
        => !string.IsNullOrWhiteSpace(a) && !string.IsNullOrWhiteSpace(b)
           && string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    public static bool PersonIs(Person person, string login)
        => SameLogin(person.Login, login) || SameLogin(person.Name, login) || EmailIs(person.Email, login);

    /// <summary>An identity given as one string: a login, a git name, an email or "Name &lt;email&gt;".</summary>
    public static bool IdentityIs(string? identity, string login)
        => identity is not null && (PersonIs(ParsePerson(identity), login) || Mentions(identity).Any(m => SameLogin(m, login)));

    /// <summary>"@login" mentions inside free text such as "Sam Smith (@ssmith)".</summary>
    private static IEnumerable<string> Mentions(string text)
        => System.Text.RegularExpressions.Regex.Matches(text, @"(?<![\w.])@([A-Za-z0-9][A-Za-z0-9_.-]*(?:\[bot\])?)")
            .Select(m => m.Groups[1].Value.TrimEnd('.'));

    public static bool EmailIs(string? email, string login)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return false;
        }

        var at = email.IndexOf('@', StringComparison.Ordinal);
        var local = at < 0 ? email : email[..at];
        var plus = local.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0 && email.EndsWith("@users.noreply.github.com", StringComparison.OrdinalIgnoreCase))
        {
            local = local[(plus + 1)..];
        }

        return SameLogin(local, login) || SameLogin(email, login);
    }

    /// <summary>Parses "Name &lt;email&gt;" (a Co-authored-by value); a bare value is taken as a login or email.</summary>
    public static Person ParsePerson(string value)
    {
        var text = value.Trim();
        var open = text.LastIndexOf('<');
        var close = text.LastIndexOf('>');
        if (open >= 0 && close > open)
        {
            var name = text[..open].Trim();
            return new Person { Name = name.Length == 0 ? null : name, Email = text[(open + 1)..close].Trim() };
        }

        return text.Contains('@', StringComparison.Ordinal) ? new Person { Email = text } : new Person { Login = text, Name = text };
    }

    /// <summary>
    /// The authors and <c>Co-authored-by</c> people of the change's commits, each with the account the platform
    /// matched it to (the commit's author account on GitHub, <see cref="PullRequestSnapshot.ResolvedIdentities"/>
    /// for the rest); <see cref="CommitIdentity.Account"/> is null when the platform could not name one.
    /// </summary>
    public static IReadOnlyList<CommitIdentity> CommitIdentities(PullRequestSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var resolved = new Dictionary<string, Person?>(StringComparer.OrdinalIgnoreCase);
        foreach (var identity in snapshot.ResolvedIdentities)
        {
            resolved.TryAdd(identity.Email.Trim(), identity.Account);
        }

        Person? Resolve(Person git)
            => git.Login is not null ? git
                : git.Email is { } email && resolved.TryGetValue(email.Trim(), out var account) ? account
                : null;

        return [.. GitIdentities(snapshot.Commits).Select(git => new CommitIdentity(git, Resolve(git))).Distinct()];
    }

    /// <summary>The git authors and <c>Co-authored-by</c> people of commits, in order (adapters resolve their emails).</summary>
    public static IEnumerable<Person> GitIdentities(IEnumerable<Commit> commits)
    {
        foreach (var commit in commits)
        {
            yield return commit.Author;
            foreach (var trailer in commit.Trailers.Where(t => string.Equals(t.Key, CoAuthorTrailer, StringComparison.OrdinalIgnoreCase)))
            {
                yield return ParsePerson(trailer.Value);
            }
        }
    }

    /// <summary>Same platform account: equal logins, or equal numeric ids when both are known.</summary>
    public static bool SameAccount(Person a, Person b)
        => SameLogin(a.Login, b.Login) || (a.Id is { } x && b.Id is { } y && x == y && a.Login is null == b.Login is null);

    /// <summary>
    /// A reviewer that a git identity the platform could not match might be: their login is its name or the local
    /// part of its email, or their platform name or public email is its name or email. Errs towards "might be".
    /// </summary>
    public static bool CannotTellApart(Person git, Person reviewer)
        => (reviewer.Login is { } login && PersonIs(git, login))
           || SameLogin(git.Name, reviewer.Name)
           || SameLogin(git.Email, reviewer.Email);
}

/// <summary>A commit author or co-author: the git identity and the platform account it was matched to, if any.</summary>
public sealed record CommitIdentity(Person Git, Person? Account)
{
    public string Label => Account?.Login is { } login ? $"{login} ({Where(Git)})" : Where(Git);

    private static string Where(Person git) => git.Email is null ? git.Display : $"{git.Name ?? git.Login} <{git.Email}>".TrimStart();
}
