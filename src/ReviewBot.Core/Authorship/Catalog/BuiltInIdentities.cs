using static ReviewBot.Core.Authorship.AuthorshipKind;

namespace ReviewBot.Core.Authorship.Catalog;

/// <summary>
/// The agent and automation identities of <c>ai-signals.md</c> (§1.1–1.9). Numeric ids come from the accounts'
/// noreply addresses; one product can own several ids with different meanings (Copilot has three).
/// </summary>
public static class BuiltInIdentities
{
    private const string Forgeable = "git identities are unauthenticated: confirm with the PR author or a verified signature";

    public static IReadOnlyList<KnownIdentity> All { get; } =
    [
        // GitHub Copilot: one product, four ids, different meanings.
        new()
        {
            Key = "copilot-coding-agent", Agent = AgentIds.CopilotCodingAgent, AsAuthor = AiAuthored, AsCoAuthor = AiAuthored,
            GitHubId = 198982749, Logins = ["Copilot", "copilot-swe-agent[bot]", "copilot-swe-agent"], AppSlugs = ["copilot-swe-agent"],
            Note = Forgeable,
        },
        new()
        {
            Key = "copilot-cli", Agent = AgentIds.Copilot, AsAuthor = AiAssisted, AsCoAuthor = AiAssisted, GitHubId = 223556219,
            Note = "Copilot CLI / app / VS Code add this co-author (opt-out exists; it is also added to commits Copilot merely performs)",
        },
        new()
        {
            Key = "copilot-suggestion", Agent = AgentIds.Copilot, AsAuthor = AiAssisted, AsCoAuthor = AiAssisted, GitHubId = 175728472,
            Note = "an applied Copilot code-review suggestion or Autofix: a small AI contribution",
        },
        new()
        {
            Key = "copilot-chat", Agent = AgentIds.Copilot, AsAuthor = AiAssisted, AsCoAuthor = AiAssisted, GitHubId = 167198135,
            Logins = ["copilot[bot]"],
        },

        // Cloud agents that commit under their own bot identity: ai-authored.
        Bot("devin", AgentIds.Devin, 158243242, "devin-ai-integration[bot]", "devin-ai-integration"),
        Bot("jules", AgentIds.Jules, 161369871, "google-labs-jules[bot]", "google-labs-jules"),
        // claude-code-action; a rare variant reuses github-actions' id 41898282 under the claude[bot] login.
        Bot("claude-code-action", AgentIds.ClaudeCode, 209825114, "claude[bot]", "claude") with { Emails = ["41898282+claude[bot]@users.noreply.github.com"] },
        Bot("claude-agent", AgentIds.ClaudeCode, 242468646, "anthropic-code-agent[bot]", "anthropic-code-agent"),
        Bot("claude-app", AgentIds.ClaudeCode, 215619710, "anthropic-claude[bot]"),
        Bot("claude-code-action-app", AgentIds.ClaudeCode, 208546643, "claude-code-action[bot]"),
        new()
        {
            Key = "claude-code", Agent = AgentIds.ClaudeCode, AsAuthor = AiAuthored, AsCoAuthor = AiAssisted,
            Emails = ["noreply@anthropic.com"], GitStrength = SignalStrength.Medium,
            Note = "Claude Code's attribution address (the CLI adds it as co-author by default; Claude Code on the web commits as it)",
        },
        Bot("codex-agent", AgentIds.Codex, 242516109, "openai-code-agent[bot]", "openai-code-agent"),
        Bot("codex-connector", AgentIds.Codex, 199175422, "chatgpt-codex-connector[bot]", "chatgpt-codex-connector"),
        new()
        {
            Key = "codex-cli", Agent = AgentIds.Codex, AsAuthor = AiAuthored, AsCoAuthor = AiAssisted,
            Emails = ["noreply@openai.com", "codex@openai.com"], GitStrength = SignalStrength.Medium,
            Note = "Codex CLI attribution (a prepare-commit-msg hook; can be disabled)",
        },
        new()
        {
            Key = "cursor-agent", Agent = AgentIds.Cursor, AsAuthor = AiAuthored, AsCoAuthor = AiAssisted,
            Emails = ["cursoragent@cursor.com"], Note = Forgeable,
        },
        new()
        {
            Key = "cursor-bugbot", Agent = AgentIds.Cursor, AsAuthor = AiAssisted, AsCoAuthor = AiAssisted, GitHubId = 206951365,
            Logins = ["cursor[bot]"], AppSlugs = ["cursor"], Note = "Cursor Bugbot: review fixes pushed on request",
        },
        new()
        {
            Key = "aider", Agent = AgentIds.Aider, AsAuthor = AiAuthored, AsCoAuthor = AiAssisted,
            Emails = ["aider@aider.chat", "noreply@aider.chat", "noreply@aider.dev"], GitStrength = SignalStrength.Medium,
        },
        new()
        {
            Key = "openhands", Agent = AgentIds.OpenHands, AsAuthor = AiAuthored, AsCoAuthor = AiAssisted,
            Emails = ["openhands@all-hands.dev"], Logins = ["openhands-agent"], GitStrength = SignalStrength.Medium,
        },
        Bot("sweep", AgentIds.Sweep, 128439645, "sweep-ai[bot]", "sweep-ai"),
        Bot("amazon-q", AgentIds.AmazonQ, 208079219, "amazon-q-developer[bot]", "amazon-q-developer"),
        new()
        {
            Key = "gemini-code-assist", Agent = AgentIds.Gemini, AsAuthor = AiAssisted, AsCoAuthor = AiAssisted, GitHubId = 176961590,
            Logins = ["gemini-code-assist[bot]"], AppSlugs = ["gemini-code-assist"],
            Note = "an accepted Gemini Code Assist review suggestion",
        },
        new()
        {
            Key = "gemini-cli", Agent = AgentIds.Gemini, AsAuthor = AiAssisted, AsCoAuthor = AiAssisted,
            Emails = ["gemini-cli@google.com", "agent@gemini.google.com"], Logins = ["gemini-cli[bot]"],
            GitStrength = SignalStrength.Weak, Note = "Gemini CLI has no standard attribution; these addresses are conventions seen in the wild",
        },
        new()
        {
            Key = "windsurf", Agent = AgentIds.Windsurf, AsAuthor = AiAssisted, AsCoAuthor = AiAssisted,
            Emails = ["noreply@codeium.com"], Logins = ["windsurf-bot[bot]"], GitStrength = SignalStrength.Weak,
            Note = "unverified Windsurf/Codeium convention",
        },
        Bot("codegen", AgentIds.Codegen, null, "codegen-sh[bot]", "codegen-sh"),
        Bot("cline", AgentIds.Cline, 205137888, "cline[bot]"),
        Bot("continue", AgentIds.Continue, 230936708, "continue[bot]"),
        Bot("cody", AgentIds.Cody, 201248094, "sourcegraph-cody[bot]"),
        Bot("jetbrains-ai", AgentIds.JetBrainsAi, 220155983, "jetbrains-ai[bot]"),
        Bot("coderabbit", AgentIds.CodeRabbit, 136622811, "coderabbitai[bot]"),

        // Non-AI automation (§1.9): never AI, whatever their commits touch.
        Automation("dependabot", AgentIds.Dependabot, 49699333, ["dependabot[bot]"], ["dependabot"]),
        Automation("dependabot-preview", AgentIds.Dependabot, 27856297, ["dependabot-preview[bot]"], ["dependabot-preview"]),
        Automation("renovate", AgentIds.Renovate, 29139614, ["renovate[bot]"], ["renovate"], ["renovate@whitesourcesoftware.com"]),
        Automation("github-actions", AgentIds.GitHubActions, 41898282, ["github-actions[bot]"], ["github-actions"]),
    ];

    /// <summary>A cloud agent committing under its own bot account: ai-authored; as a mere co-author, ai-assisted.</summary>
    private static KnownIdentity Bot(string key, string agent, long? id, string login, string? app = null) => new()
    {
        Key = key, Agent = agent, AsAuthor = AiAuthored, AsCoAuthor = AiAssisted, GitHubId = id, Logins = [login],
        AppSlugs = app is null ? [] : [app], Note = Forgeable,
    };

    private static KnownIdentity Automation(string key, string id, long githubId, IReadOnlyList<string> logins, IReadOnlyList<string> apps, IReadOnlyList<string>? emails = null) => new()
    {
        Key = key, Agent = id, AsAuthor = AuthorshipKind.Automation, AsCoAuthor = AuthorshipKind.Automation,
        GitHubId = githubId, Logins = logins, AppSlugs = apps, Emails = emails ?? [],
    };
}
