using ReviewBot.Core.Authorship;
using ReviewBot.Core.Snapshot;
using static ReviewBot.Core.Tests.Authorship.Build;

namespace ReviewBot.Core.Tests.Authorship;

/// <summary>The rules file's agents section extends the catalog without code changes.</summary>
public sealed class ExtensionTests
{
    private static readonly AgentCatalogExtension Acme = new()
    {
        Logins = ["acme-agent[bot]"],
        Emails = ["agent@acme.dev"],
        Trailers = ["Acme-Agent", "Generated-By: acmebot*"],
        BranchPrefixes = ["acme-agent/"],
        Labels = ["ai-generated"],
        AutomationLogins = ["sentry-release-bot[bot]", "pardeike-bot"],
        AutomationEmails = ["bot@sentry.io"],
    };

    public static TheoryData<Case<PullRequestSnapshot>> PullRequests => new()
    {
        new("organisation agent login as PR author", Pr(Account("acme-agent[bot]", 9001, bot: true), assignees: [Account("ada", 12345)]),
            "ai-authored", ["acme-agent"], "org.pr-author", "high", "ada"),
        new("organisation agent login is trusted on GitLab too", Pr(Account("acme-agent[bot]"), platform: Platform.GitLab),
            "ai-authored", ["acme-agent"], "org.pr-author"),
        new("organisation agent email as commit author", Pr(commits: [Commit(Git("Acme Agent", "Agent@Acme.dev"), "Fix",
                trailers: [CoAuthor("Ada <12345+ada@users.noreply.github.com>")])]),
            "ai-authored", ["agent@acme.dev"], "org.commit-author", "medium", "ada"),
        new("organisation agent email as co-author", Pr(commits: [Commit(Ada, "Fix", trailers: [CoAuthor("Acme Agent <agent@acme.dev>")])]),
            "ai-assisted", ["agent@acme.dev"], "org.co-author-trailer"),
        new("organisation trailer by key", Pr(commits: [Commit(Ada, "Fix", trailers: [T("Acme-Agent", "run 42")])]),
            "ai-assisted", ["acme-agent"], "org.trailer", "medium"),
        new("organisation trailer by value prefix", Pr(commits: [Commit(Ada, "Fix", trailers: [T("Generated-By", "acmebot 2.1")])]),
            "ai-assisted", ["acmebot"], "org.trailer"),
        new("organisation trailer with another value is nothing", Pr(commits: [Commit(Ada, "Fix", trailers: [T("Generated-By", "hand")])]),
            "human", []),
        new("organisation branch prefix needs no corroboration", Pr(headRef: "acme-agent/issue-7"),
            "ai-authored", ["acme-agent"], "org.branch", "medium"),
        new("organisation label", Pr(labels: ["AI-Generated"]), "ai-authored", ["ai-generated"], "org.label"),
        new("organisation automation login", Pr(Account("sentry-release-bot[bot]", 5, bot: true),
                commits: [Commit(Git("Sentry Github Bot", "bot@sentry.io"), "release: 4.2.0")]),
            "automation", [], "org.pr-author", "high"),
        new("a project bot that is a plain user account", Pr(Account("pardeike-bot", 6), commits: [Commit(Git("pardeike-bot", "bot@sentry.io"), "Release")]),
            "automation", [], "org.commit-author"),
        new("without the extension the same PR is human", Pr(headRef: "acme-agent/issue-7", labels: ["ai-generated"]), "human", []),
    };

    [Theory]
    [MemberData(nameof(PullRequests))]
    public void Extension(Case<PullRequestSnapshot> row)
        => Expect.Pr(row, row.Input, row.Name.StartsWith("without", StringComparison.Ordinal) ? null : Acme);

    [Fact]
    public void Built_in_identities_still_win_over_an_organisation_listing_the_same_address()
    {
        var extension = new AgentCatalogExtension { AutomationEmails = ["noreply@anthropic.com"] };
        var verdict = new AuthorshipClassifier(extension).ClassifyCommit(Commit(Ada, "x", trailers: [CoAuthor("Claude <noreply@anthropic.com>")]));
        Assert.Equal(AuthorshipKind.AiAssisted, verdict.Kind);
    }
}
