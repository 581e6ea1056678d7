using ReviewBot.Core.Snapshot;
using static ReviewBot.Core.Tests.Authorship.Build;

namespace ReviewBot.Core.Tests.Authorship;

/// <summary>Non-AI automation: known bots by id, unknown bots, and AI help hidden behind a bot identity.</summary>
public sealed class AutomationSignalsTests
{
    private static readonly Person Dependabot = Git("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com");
    private static readonly Person Actions = Git("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com");

    public static TheoryData<Case<Commit>> Cases => new()
    {
        new("Dependabot", Commit(Dependabot, "Bump Newtonsoft.Json from 13.0.1 to 13.0.3",
                trailers: [T("Signed-off-by", "dependabot[bot] <support@github.com>")]),
            "automation", [], "dependabot.commit-author", "medium", "-"),
        new("Dependabot sign-off on its own commit",
            Commit(Dependabot, "Bump x", trailers: [T("Signed-off-by", "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>")]),
            "automation", [], "dependabot.signed-off-by"),
        new("legacy dependabot-preview", Commit(Git("dependabot-preview[bot]", "27856297+dependabot-preview[bot]@users.noreply.github.com"), "Bump"),
            "automation", [], "dependabot-preview.commit-author"),
        new("Renovate hosted app identity", Commit(Git("Renovate Bot", "renovate@whitesourcesoftware.com"), "chore(deps): update dependency x"),
            "automation", [], "renovate.commit-author"),
        new("github-actions", Commit(Actions, "chore: update generated files"), "automation", [], "github-actions.commit-author"),
        new("an unknown [bot] address is automation", Commit(Git("acme-release[bot]", "777+acme-release[bot]@users.noreply.github.com"), "Release 1.2"),
            "automation", [], "unknown-bot.identity"),
        new("bot PR plus AI fix: github-actions author, Claude and a human as co-authors",
            Commit(Actions, "chore(deps): update Cocoa SDK to v8.57.0",
                trailers: [CoAuthor("Claude Opus 5 <noreply@anthropic.com>"), CoAuthor("Ada Lovelace <12345+ada@users.noreply.github.com>")]),
            "ai-assisted", ["claude-code"], "claude-code.co-author-trailer", "medium", "ada"),
        new("an unknown bot with an AI marker is AI", Commit(Git("acme-release[bot]", "777+acme-release[bot]@users.noreply.github.com"), "Fix",
                trailers: [T("Made-with", "Cursor")]),
            "ai-assisted", ["cursor"], "cursor.made-with-trailer"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Automation(Case<Commit> row) => Expect.Commit(row, row.Input);

    /// <summary>Organisations' own automation accounts, without a [bot] suffix or a platform bot flag.</summary>
    public static TheoryData<Case<Commit>> OrganisationAutomation => new()
    {
        new("release bot by name and address", Commit(Git("release-bot", "bot@example.org"), "Release 4.2.0"), "automation", [], "automation-text.identity", "medium", "-"),
        new("Release Bot display name", Commit(Git("Release Bot", "releases@acme.example"), "chore(release): 4.2.0"), "automation", [], "automation-text.identity"),
        new("formatting bot as one word", Commit(Git("formatbot", "format@acme.example"), "style: dotnet format"), "automation", [], "automation-text.identity"),
        new("CI system name", Commit(Git("Jenkins", "jenkins@ci.acme.example"), "Update version.props"), "automation", [], "automation-text.identity"),
        new("GitLab CI", Commit(Git("GitLab CI", "gitlab-ci@acme.example"), "Bump chart version"), "automation", [], "automation-text.identity"),
        new("role address ci@", Commit(Git("Acme Builds", "ci@acme.example"), "Regenerate API clients"), "automation", [], "automation-text.identity"),
        new("translation robot", Commit(Git("acme-translation-robot", "l10n@acme.example"), "Update translations"), "automation", [], "automation-text.identity"),
        new("surname ending in bot is a person", Commit(Git("Ada Talbot", "ada.talbot@acme.example"), "Fix the parser"), "human", []),
        new("bot inside a word is a person", Commit(Git("Robert Bottomley", "rbottomley@acme.example"), "Fix the parser"), "human", []),
        new("a known bot's name on a human address is a spoof, not automation", Commit(Git("renovate[bot]", "eve@contoso.com"), "Fix"), "human", []),
    };

    [Theory]
    [MemberData(nameof(OrganisationAutomation))]
    public void Organisation_automation_identities_are_automation(Case<Commit> row) => Expect.Commit(row, row.Input);

    /// <summary>AI evidence from any source wins over an automation identity: renaming an agent's commits changes nothing.</summary>
    public static TheoryData<Case<Commit>> RenamedAgents => new()
    {
        new("Claude-assisted commit under a release-bot identity", Commit(Git("release-bot", "bot@example.org"), "Release 4.2.0",
                trailers: [CoAuthor("Claude Opus 4.6 <noreply@anthropic.com>")]),
            "ai-assisted", ["claude-code"], "claude-code.co-author-trailer", null, "-"),
        new("Devin's address under a release-bot name", Commit(Git("release-bot", "158243242+devin-ai-integration[bot]@users.noreply.github.com"), "Release"),
            "ai-authored", ["devin"], "devin.commit-author"),
        new("Copilot agent commit renamed Jenkins, requester as co-author",
            Commit(Git("Jenkins", "198982749+Copilot@users.noreply.github.com"), "Fix", trailers: [CoAuthor("Ada Lovelace <12345+ada@users.noreply.github.com>")]),
            "ai-authored", ["copilot-coding-agent"], "copilot-coding-agent.commit-author", null, "ada"),
        new("agent footer in a formatbot commit", Commit(Git("formatbot", "format@acme.example"), "style: format\n\nGenerated with [Claude Code](https://claude.com/claude-code)"),
            "ai-assisted", ["claude-code"]),
    };

    [Theory]
    [MemberData(nameof(RenamedAgents))]
    public void An_agents_commit_renamed_to_a_bot_identity_stays_ai_involved(Case<Commit> row) => Expect.Commit(row, row.Input);

    [Fact]
    public void An_automation_identity_the_base_rules_list_is_automation_and_ai_evidence_still_wins()
    {
        var extension = new ReviewBot.Core.Authorship.AgentCatalogExtension { AutomationEmails = ["ops@acme.example"], AutomationLogins = ["acme-ops"] };
        var listed = new Case<Commit>("listed by the rules", Commit(Git("Acme Ops", "ops@acme.example"), "Sync CODEOWNERS"), "automation", [], "org.commit-author");
        var withAi = new Case<Commit>("listed, but Claude co-authored", Commit(Git("Acme Ops", "ops@acme.example"), "Sync CODEOWNERS",
            trailers: [CoAuthor("Claude <noreply@anthropic.com>")]), "ai-assisted", ["claude-code"]);
        var pr = new Case<PullRequestSnapshot>("PR opened by a listed ops account", Pr(Account("acme-ops", 777), commits: [listed.Input]), "automation", [], "org.pr-author");

        Expect.Commit(listed, listed.Input, extension);
        Expect.Commit(withAi, withAi.Input, extension);
        Expect.Pr(pr, pr.Input, extension);
    }
}
