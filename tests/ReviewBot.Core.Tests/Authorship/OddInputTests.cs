using ReviewBot.Core.Authorship;
using ReviewBot.Core.Snapshot;
using static ReviewBot.Core.Tests.Authorship.Build;

namespace ReviewBot.Core.Tests.Authorship;

/// <summary>Odd but possible inputs give a verdict with a reason, never an exception.</summary>
public sealed class OddInputTests
{
    public static TheoryData<Case<PullRequestSnapshot>> Cases => new()
    {
        new("empty identities, message and trailers", Pr(Person.Unknown, commits:
            [
                new Commit { Sha = "", Author = Person.Unknown, Committer = Person.Unknown, Message = "",
                    Trailers = [T("", ""), CoAuthor(""), CoAuthor("<>"), CoAuthor("no address"), T("Assisted-by", " ")] },
            ], headRef: "", body: ""), "human", []),
        new("unparseable noreply-like addresses", Pr(commits:
            [
                Commit(Git("x", "+@users.noreply.github.com"), "a"),
                Commit(Git("y", "99999999999999999999999+x@users.noreply.github.com"), "b"),
                Commit(Git("z", "@users.noreply.github.com"), "c"),
            ]), "human", []),
        new("a huge body without markers", Pr(body: string.Concat(Enumerable.Repeat("copilot codex claude cursor devin — ", 50_000))), "human", []),
        new("non-ASCII names and branch", Pr(Account("jörg"), headRef: "feature/ünïcødé", commits: [Commit(Git("Jörg Ünal", "jörg@bücher.example.de"), "Füx")]),
            "human", []),
        new("whitespace-only extension entries are ignored", Pr(headRef: "x/y", labels: [" "]), "human", []),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Odd_input(Case<PullRequestSnapshot> row)
        => Expect.Pr(row, row.Input, new AgentCatalogExtension { Logins = [" "], Emails = [""], Trailers = [" "], BranchPrefixes = ["", " "], Labels = [" "] });
}
