using System.Text.RegularExpressions;

namespace ReviewBot.Core.Authorship.Catalog;

/// <summary>
/// Agent ids from free text (an <c>Assisted-by:</c> tool name, the name in a model-written trailer).
/// Only used where the text itself is already an AI attribution — never to classify a person by name.
/// </summary>
public static partial class AgentNames
{
    private static readonly (Regex Pattern, string Agent)[] Names =
    [
        (Word("claude"), AgentIds.ClaudeCode),
        (Word("codex|openai|chatgpt|gpt-?\\d[\\w.-]*"), AgentIds.Codex),
        (Word("copilot"), AgentIds.Copilot),
        (Word("cursor"), AgentIds.Cursor),
        (Word("devin"), AgentIds.Devin),
        (Word("jules"), AgentIds.Jules),
        (Word("aider"), AgentIds.Aider),
        (Word("openhands"), AgentIds.OpenHands),
        (Word("gemini"), AgentIds.Gemini),
        (Word("windsurf|codeium"), AgentIds.Windsurf),
        (Word("amazon\\s*q"), AgentIds.AmazonQ),
        (Word("cline"), AgentIds.Cline),
    ];

    /// <summary>The agent a name mentions, or null.</summary>
    public static string? Find(string text)
        => Names.FirstOrDefault(n => n.Pattern.IsMatch(text)).Agent;

    private static Regex Word(string alternatives)
        => new($@"(?<![\w-])(?:{alternatives})(?![\w])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);
}
