using ReviewBot.Core.Authorship;
using ReviewBot.Core.Authorship.Catalog;
using ReviewBot.Core.Authorship.Signals;
using ReviewBot.Core.Snapshot;
using static ReviewBot.Core.Tests.Authorship.Build;

namespace ReviewBot.Core.Tests.Authorship;

/// <summary>
/// Platform differences are facts the adapter states on the snapshot (<see cref="IdentityFacts"/>); the core never asks
/// which platform it is. A snapshot whose adapter states nothing — a third platform, an old recording — trusts nothing.
/// </summary>
public sealed class IdentityFactsTests
{
    /// <summary>A platform this version has no adapter facts for (a third adapter that set none).</summary>
    private static readonly Platform ThirdPlatform = new("azure-devops", "Azure DevOps");

    /// <summary>The Copilot agent's login and GitHub id on an account without the platform's bot flag.</summary>
    private static readonly Person CopilotLogin = Account("Copilot", 198982749);

    private static readonly IdentityFacts VerifiedLogins = new() { AuthorIsAccount = true, LoginsVerified = true };

    private const string AgentBody = "Fixes #12\n\n<!-- START COPILOT CODING AGENT SUFFIX -->";

    [Fact]
    public void A_snapshot_states_no_facts_unless_its_adapter_sets_them()
    {
        var snapshot = new PullRequestSnapshot
        {
            Platform = ThirdPlatform,
            Repository = "contoso/widgets",
            Author = CopilotLogin,
            BaseRef = "main",
            BaseSha = new string('a', 40),
            HeadRef = "feature",
            HeadSha = new string('b', 40),
        };

        Assert.Same(IdentityFacts.None, snapshot.IdentityFacts);
        Assert.False(snapshot.IdentityFacts.AuthorIsAccount);
        Assert.False(snapshot.IdentityFacts.LoginsVerified);
        Assert.False(snapshot.IdentityFacts.AccountIdsAreGitHubIds);
        Assert.False(snapshot.IdentityFacts.CommitIdentitiesMatched);
    }

    [Fact]
    public void A_platform_that_states_no_facts_does_not_trust_an_agents_login_or_id()
    {
        var verdict = new AuthorshipClassifier().Classify(Pr(CopilotLogin) with { Platform = ThirdPlatform, IdentityFacts = IdentityFacts.None });

        Assert.Equal(AuthorshipKind.Human, verdict.Kind);
        Assert.Empty(verdict.Agents);
        Assert.DoesNotContain(verdict.Evidence, e => e.Location == Where.PrAuthor);
    }

    [Fact]
    public void The_same_login_is_the_agent_when_the_adapter_says_the_platform_verifies_logins()
    {
        var verdict = new AuthorshipClassifier().Classify(Pr(CopilotLogin) with { Platform = ThirdPlatform, IdentityFacts = VerifiedLogins });

        Assert.Equal(AuthorshipKind.AiAuthored, verdict.Kind);
        var evidence = Assert.Single(verdict.Evidence, e => e.Location == Where.PrAuthor);
        Assert.Equal("copilot-coding-agent.pr-author", evidence.Signal);
        Assert.False(evidence.Forgeable);
    }

    [Fact]
    public void An_account_id_counts_only_where_the_adapter_says_ids_are_githubs()
    {
        var catalog = IdentityCatalog.Create(AgentCatalogExtension.Empty);
        var copilotIdOnly = new Person { Id = 198982749 };

        Assert.Null(catalog.MatchAccount(copilotIdOnly, IdentityFacts.None));
        Assert.Null(catalog.MatchAccount(copilotIdOnly, new IdentityFacts { LoginsVerified = true }));
        Assert.NotNull(catalog.MatchAccount(copilotIdOnly, new IdentityFacts { AccountIdsAreGitHubIds = true }));
    }

    [Fact]
    public void A_bot_account_or_an_organisation_listed_login_is_trusted_without_verified_logins()
    {
        var catalog = IdentityCatalog.Create(new AgentCatalogExtension { Logins = ["acme-agent"] });

        Assert.NotNull(catalog.MatchAccount(Account("devin-ai-integration[bot]", 7, bot: true), IdentityFacts.None));
        Assert.NotNull(catalog.MatchAccount(Account("acme-agent"), IdentityFacts.None));
        Assert.Null(catalog.MatchAccount(Account("devin-ai-integration[bot]", 7), IdentityFacts.None));
    }

    [Fact]
    public void A_reviewer_with_an_agents_login_is_a_machine_whether_or_not_logins_are_verified()
    {
        var catalog = IdentityCatalog.Create(AgentCatalogExtension.Empty);
        var reviewer = Account("Copilot");

        // Its approval must not count as an independent human's on a platform that vouches for nothing (fail closed).
        Assert.True(MachineAccounts.IsMachine(reviewer, catalog, IdentityFacts.None));
        Assert.True(MachineAccounts.IsMachine(reviewer, catalog, VerifiedLogins));
        Assert.False(MachineAccounts.IsMachine(Account("octocat"), catalog, IdentityFacts.None));
    }

    [Fact]
    public void An_author_the_platform_did_not_authenticate_gives_forgeable_evidence_and_an_unauthenticated_initiator()
    {
        var bot = Account("devin-ai-integration[bot]", 7, bot: true);
        var asGitIdentity = new AuthorshipClassifier().Classify(Pr(bot) with { Platform = ThirdPlatform, IdentityFacts = IdentityFacts.None });
        var asAccount = new AuthorshipClassifier().Classify(Pr(bot) with { Platform = ThirdPlatform, IdentityFacts = new IdentityFacts { AuthorIsAccount = true } });

        Assert.True(Assert.Single(asGitIdentity.Evidence, e => e.Location == Where.PrAuthor).Forgeable);
        Assert.False(Assert.Single(asAccount.Evidence, e => e.Location == Where.PrAuthor).Forgeable);

        var human = Account("octocat", 583231);
        var unauthenticated = new AuthorshipClassifier().Classify(Pr(human, body: AgentBody) with { Platform = ThirdPlatform, IdentityFacts = IdentityFacts.None });
        var authenticated = new AuthorshipClassifier().Classify(Pr(human, body: AgentBody) with { Platform = ThirdPlatform, IdentityFacts = new IdentityFacts { AuthorIsAccount = true } });

        Assert.Equal(InitiatorSource.Commit, Assert.Single(unauthenticated.Initiators, c => c.Identity == "octocat").Source);
        Assert.Equal(InitiatorSource.Platform, Assert.Single(authenticated.Initiators, c => c.Identity == "octocat").Source);
    }
}
