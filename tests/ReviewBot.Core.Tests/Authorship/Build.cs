using System.Security.Cryptography;
using System.Text;
using ReviewBot.Core.Snapshot;
using ReviewBot.TestSupport;

namespace ReviewBot.Core.Tests.Authorship;

/// <summary>Builders for in-memory commits and pull requests (the pure core needs no platform).</summary>
internal static class Build
{
    public static readonly Person Ada = Git("Ada Lovelace", "12345+ada@users.noreply.github.com") with { Login = "ada" };
    public static readonly Person Bob = Git("Bob Builder", "bob@contoso.com");
    public static readonly Person WebFlow = Git("GitHub", "noreply@github.com");

    public static Person Git(string name, string email) => new() { Name = name, Email = email };

    public static Person Account(string login, long? id = null, bool bot = false) => new() { Login = login, Id = id, IsBot = bot };

    public static Trailer T(string key, string value) => new(key, value);

    public static Trailer CoAuthor(string value) => new("Co-authored-by", value);

    public static Commit Commit(Person? author = null, string message = "Fix the parser", Person? committer = null,
        IReadOnlyList<Trailer>? trailers = null, bool? verified = null, string? signer = null, int parents = 1)
    {
        var who = author ?? Bob;
        var sha = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes($"{who}|{message}|{string.Join(",", trailers ?? [])}|{parents}")));
        return new Commit
        {
            Sha = sha,
            Author = who,
            Committer = committer ?? who,
            Message = message,
            Trailers = trailers ?? [],
            SignatureVerified = verified,
            Signer = signer,
            Parents = [.. Enumerable.Range(0, parents).Select(i => $"{i:x40}")],
        };
    }

    public static PullRequestSnapshot Pr(Person? author = null, IReadOnlyList<Commit>? commits = null, string headRef = "feature/parser",
        string body = "", string title = "Improve the parser", IReadOnlyList<string>? labels = null, IReadOnlyList<Person>? assignees = null,
        string? app = null, Platform? platform = null) => new()
    {
        Platform = platform ?? Platform.GitHub,
        IdentityFacts = PlatformIdentityFacts.For(platform ?? Platform.GitHub),
        Repository = "contoso/widgets",
        Number = 42,
        Title = title,
        Body = body,
        Author = author ?? Account("bob", 555),
        Assignees = assignees ?? [],
        Labels = labels ?? [],
        BaseRef = "main",
        BaseSha = new string('a', 40),
        HeadRef = headRef,
        HeadSha = new string('b', 40),
        Commits = commits ?? [Commit()],
        PerformedViaApp = app,
    };
}

/// <summary>One row of a signal table: a named input and what the classifier must answer.</summary>
public sealed record Case<T>(string Name, T Input, string Kind, string[] Agents, string? Signal = null, string? Confidence = null, string? Initiator = null)
{
    public override string ToString() => Name;
}
