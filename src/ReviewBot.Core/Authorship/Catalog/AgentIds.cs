namespace ReviewBot.Core.Authorship.Catalog;

/// <summary>The stable ids of agents and automation bots that appear in verdicts and rules files.</summary>
public static class AgentIds
{
    public const string CopilotCodingAgent = "copilot-coding-agent";
    public const string Copilot = "copilot";
    public const string Codex = "codex";
    public const string ClaudeCode = "claude-code";
    public const string Devin = "devin";
    public const string Cursor = "cursor";
    public const string Jules = "jules";
    public const string Aider = "aider";
    public const string OpenHands = "openhands";
    public const string Sweep = "sweep";
    public const string AmazonQ = "amazon-q";
    public const string Gemini = "gemini";
    public const string Windsurf = "windsurf";
    public const string Replit = "replit";
    public const string Codegen = "codegen";
    public const string Cline = "cline";
    public const string Continue = "continue";
    public const string Cody = "cody";
    public const string JetBrainsAi = "jetbrains-ai";
    public const string CodeRabbit = "coderabbit";

    /// <summary>An AI signal that names no particular tool (e.g. a self-declared "AI-generated" checkbox).</summary>
    public const string UnknownAgent = "unknown-agent";

    public const string Dependabot = "dependabot";
    public const string Renovate = "renovate";
    public const string GitHubActions = "github-actions";

    /// <summary>A bot account the catalog does not know: automation unless an AI marker is present.</summary>
    public const string UnknownBot = "unknown-bot";
}
