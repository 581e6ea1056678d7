using ReviewBot.Core.Snapshot;
using static ReviewBot.Core.Tests.Authorship.Build;

namespace ReviewBot.Core.Tests.Authorship;

/// <summary>Co-authored-by trailers: matched by address (exact or noreply id); plain text, so at most medium.</summary>
public sealed class CoAuthorTrailerSignalsTests
{
    private static Commit Human(params string[] coAuthors)
        => Commit(Ada, "Refactor the parser", trailers: [.. coAuthors.Select(CoAuthor)]);

    public static TheoryData<Case<Commit>> Cases => new()
    {
        new("Claude Code CLI, 2025 form", Human("Claude <noreply@anthropic.com>"),
            "ai-assisted", ["claude-code"], "claude-code.co-author-trailer", "medium", "ada"),
        new("Claude Code CLI, model-named", Human("Claude Opus 4.6 (1M context) <noreply@anthropic.com>"),
            "ai-assisted", ["claude-code"], "claude-code.co-author-trailer", "medium", "ada"),
        new("Copilot CLI / VS Code (223556219)", Human("Copilot <223556219+Copilot@users.noreply.github.com>"),
            "ai-assisted", ["copilot"], "copilot-cli.co-author-trailer", "medium"),
        new("Copilot App name variant", Human("Copilot App <223556219+Copilot@users.noreply.github.com>"),
            "ai-assisted", ["copilot"], "copilot-cli.co-author-trailer"),
        new("Copilot Autofix suggestion (175728472)", Human("Copilot Autofix powered by AI <175728472+Copilot@users.noreply.github.com>"),
            "ai-assisted", ["copilot"], "copilot-suggestion.co-author-trailer"),
        new("Copilot coding agent co-author on a squash whose author was changed to a human",
            Human("copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>"),
            "ai-authored", ["copilot-coding-agent"], "copilot-coding-agent.co-author-trailer", "medium"),
        new("Cursor squash trailer", Human("Cursor Agent <cursoragent@cursor.com>"),
            "ai-assisted", ["cursor"], "cursor-agent.co-author-trailer"),
        new("aider (current)", Human("aider (gpt-4o) <aider@aider.chat>"), "ai-assisted", ["aider"], "aider.co-author-trailer"),
        new("aider (older address)", Human("aider (claude-3.5-sonnet) <noreply@aider.dev>"), "ai-assisted", ["aider"], "aider.co-author-trailer"),
        new("Codex CLI hook", Human("Codex <noreply@openai.com>"), "ai-assisted", ["codex"], "codex-cli.co-author-trailer"),
        new("Codex prompted by AGENTS.md", Human("OpenAI Codex <codex@openai.com>"), "ai-assisted", ["codex"], "codex-cli.co-author-trailer"),
        new("Devin CLI", Human("Devin <158243242+devin-ai-integration[bot]@users.noreply.github.com>"),
            "ai-assisted", ["devin"], "devin.co-author-trailer"),
        new("OpenHands", Human("openhands <openhands@all-hands.dev>"), "ai-assisted", ["openhands"], "openhands.co-author-trailer"),
        new("accepted Gemini Code Assist suggestion", Human("gemini-code-assist[bot] <176961590+gemini-code-assist[bot]@users.noreply.github.com>"),
            "ai-assisted", ["gemini"], "gemini-code-assist.co-author-trailer"),
        new("Gemini CLI convention is weak", Human("Gemini CLI <gemini-cli@google.com>"),
            "ai-assisted", ["gemini"], "gemini-cli.co-author-trailer", "low"),
        new("model-written trailer at a placeholder address is weak", Human("Codex <codex@noreply.example.com>"),
            "ai-assisted", ["codex"], "model-written.co-author-trailer", "low"),
        new("Cursor Agent commit with a hallucinated Codex trailer names only Cursor",
            Commit(Git("Cursor Agent", "cursoragent@cursor.com"), "Fix", trailers: [CoAuthor("Codex <noreply@example.com>")]),
            "ai-authored", ["cursor"], "model-written.co-author-trailer"),

        // Traps: display names and other humans.
        new("Copilot display name on another account's noreply id", Human("Copilot <99999+mallory@users.noreply.github.com>"), "human", []),
        new("a human co-author named Claude", Human("Claude Martin <claude.martin@contoso.com>"), "human", []),
        new("a human co-author", Human("Bob Builder <bob@contoso.com>"), "human", []),
        new("a placeholder address without an agent name", Human("Test User <test@example.com>"), "human", []),
        new("github-actions as co-author says nothing about AI", Human("github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>"), "human", []),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Co_author_trailer(Case<Commit> row) => Expect.Commit(row, row.Input);
}
