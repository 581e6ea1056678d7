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
}
