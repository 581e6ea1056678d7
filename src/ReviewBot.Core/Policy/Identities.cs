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
        => identity is not null && PersonIs(ParsePerson(identity), login);

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

    /// <summary>Commit authors and Co-authored-by people of the change's commits.</summary>
    public static IReadOnlyList<Person> CommitAuthors(PullRequestSnapshot snapshot)
    {
        var people = new List<Person>();
        foreach (var commit in snapshot.Commits)
        {
            people.Add(commit.Author);
            people.AddRange(commit.Trailers
                .Where(t => string.Equals(t.Key, CoAuthorTrailer, StringComparison.OrdinalIgnoreCase))
                .Select(t => ParsePerson(t.Value)));
        }

        return people;
    }
}
