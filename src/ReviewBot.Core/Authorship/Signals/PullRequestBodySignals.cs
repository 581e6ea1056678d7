using ReviewBot.Core.Snapshot;
using static ReviewBot.Core.Authorship.AuthorshipKind;
using static ReviewBot.Core.Authorship.Catalog.AgentIds;
using static ReviewBot.Core.Authorship.SignalStrength;

namespace ReviewBot.Core.Authorship.Signals;

/// <summary>
/// Markers and session links that agents write into the PR description: Copilot coding agent HTML
/// comments, Codex task links, Devin run links, Jules task links, Cursor agent markers, Claude Code
/// sessions and footers. Squash-merge messages often carry the PR description, so commit messages are
/// searched too. The Copilot-for-PRs placeholders (<c>copilot:summary</c>) are a template trap: a literal
/// placeholder means Copilot did not run, so it is recorded as ignored evidence.
/// </summary>
public sealed class PullRequestBodySignals : ISignalFamily
{
    public static IReadOnlyList<TextRule> Rules { get; } =
    [
        TextRule.Of("copilot-coding-agent.body-marker", CopilotCodingAgent,
            @"<!--\s*START COPILOT (?:CODING AGENT SUFFIX|ORIGINAL PROMPT|CODING AGENT TIPS)\s*-->", Strong, AiAuthored),
        TextRule.Of("copilot-coding-agent.body-text", CopilotCodingAgent,
            @"Thanks for assigning this issue to me\. I'm starting to work on it|Share your thoughts on Copilot coding agent|<details>\s*<summary>\s*Original prompt\s*</summary>",
            Medium, AiAuthored),
        TextRule.Of("copilot-workspace.body-link", Copilot, @"https://copilot-workspace\.githubnext\.com/\S+", Medium, AiAssisted,
            "Copilot Workspace (retired) session link"),
        TextRule.Of("codex.task-link", Codex, @"chatgpt\.com/codex/(?:cloud/)?tasks/task_[a-z]_[0-9a-f]+", Strong, AiAuthored,
            "Codex cloud commits under the human's identity with no trailer: the PR link is the evidence"),
        TextRule.Of("devin.session-link", Devin, @"app\.devin\.ai/sessions/[0-9a-f]{32}", Strong, AiAuthored),
        TextRule.Of("jules.task-link", Jules, @"PR created automatically by Jules for task|jules\.google\.com/task/\d+", Strong, AiAuthored),
        TextRule.Of("cursor.agent-marker", Cursor,
            @"<!--\s*CURSOR_AGENT_PR_BODY_BEGIN\s*-->|cursor\.com/(?:agents/|background-agent\?bcId=)bc-[0-9a-f-]+", Strong, AiAuthored),
        TextRule.Of("claude-code.session-link", ClaudeCode, @"claude\.ai/code/session_\w+", Strong, AiAuthored,
            "a Claude Code on the web session wrote this change"),
        TextRule.Of("claude-code.footer", ClaudeCode,
            @"generated with \[claude code\]\(https://(?:claude\.ai/code|claude\.com/claude-code)/?\)", Medium, AiAssisted,
            "Claude Code's default footer (can be turned off)"),
        TextRule.Of("ai-disclosure.checkbox", UnknownAgent, @"^\s*[-*]\s*\[[xX]\](?![^\n]*(?:\bno\b|\bnot\b|\bwithout\b|\bnone\b|n't))[^\n]*\bAI[- ]generated\b", Weak, AiAssisted,
            "a ticked self-declaration checkbox (e.g. GitLab's MR template; negated wording is skipped): weak"),
    ];

    /// <summary>Copilot for PRs (2023) placeholders: left unexpanded, they are template text, not AI output.</summary>
    public static TextRule TemplatePlaceholder { get; } = TextRule.Of("copilot.template-placeholder", Copilot,
        @"copilot:(?:summary|walkthrough|all|poem)\b", Weak, Human,
        "an unexpanded Copilot-for-PRs placeholder lives in PR templates: ignored, not evidence of AI");

    public IEnumerable<Evidence> InPullRequest(PullRequestSnapshot pullRequest, SignalContext context)
    {
        foreach (var evidence in Scan(pullRequest.Body, Where.PrBody))
        {
            yield return evidence;
        }

        if (TemplatePlaceholder.Find(pullRequest.Body, Where.PrBody) is { } trap)
        {
            yield return trap;
        }
    }

    /// <summary>
    /// Claude Code's footer and session link in a commit belong to the commit-message and trailer families
    /// (in a commit they mark the CLI, ai-assisted; in a PR body, Claude Code on the web).
    /// </summary>
    public IEnumerable<Evidence> InCommit(Commit commit, SignalContext context)
        => Scan(commit.Message, Where.InCommit(commit, "message"))
            .Where(e => e.Signal is not ("claude-code.footer" or "claude-code.session-link"));

    private static IEnumerable<Evidence> Scan(string text, string location)
    {
        if (string.IsNullOrEmpty(text))
        {
            yield break;
        }

        foreach (var rule in Rules)
        {
            if (rule.Find(text, location) is { } evidence)
            {
                yield return evidence;
            }
        }
    }
}
