using ReviewBot.Core.Snapshot;
using static ReviewBot.Core.Authorship.AuthorshipKind;
using static ReviewBot.Core.Authorship.Catalog.AgentIds;
using static ReviewBot.Core.Authorship.SignalStrength;

namespace ReviewBot.Core.Authorship.Signals;

/// <summary>
/// Tool footers and conventions in the commit message and git names: "Generated with [Claude Code]",
/// "Generated with [Devin]", aider's <c>aider:</c> subject prefix and <c>(aider)</c> name suffix, and the
/// Copilot agent's empty "Initial plan" commit.
/// </summary>
public sealed class CommitMessageSignals : ISignalFamily
{
    public static IReadOnlyList<TextRule> MessageRules { get; } =
    [
        TextRule.Of("claude-code.footer", ClaudeCode,
            @"generated with \[claude code\]\(https://(?:claude\.ai/code|claude\.com/claude-code)/?\)", Medium, AiAssisted,
            "Claude Code's default footer (can be turned off)"),
        TextRule.Of("devin.footer", Devin, @"generated with \[devin\]\(https://devin\.ai/?\)", Medium, AiAssisted),
        TextRule.Of("aider.subject-prefix", Aider, @"\Aaider: ", Medium, AiAssisted),
        TextRule.Of("agent.initial-plan", null, @"\Ainitial plan\s*\z", Weak, AiAuthored,
            "the empty first commit of the Copilot (and Agent HQ) coding agents; a human could write it too"),
    ];

    public static TextRule AiderAuthorName { get; } = TextRule.Of("aider.author-name", Aider, @"\(aider\)\s*$", Medium, AiAssisted,
        "aider --attribute-author appends (aider) to the git name");

    public static TextRule AiderCommitterName { get; } = TextRule.Of("aider.committer-name", Aider, @"\(aider\)\s*$", Weak, AiAssisted,
        "a committer-only (aider) also marks a user-driven /commit, not an AI edit");

    public IEnumerable<Evidence> InCommit(Commit commit, SignalContext context)
    {
        foreach (var rule in MessageRules)
        {
            var text = rule.Signal == "agent.initial-plan" ? commit.Message.Trim() : commit.Message;
            if (rule.Find(text, Where.InCommit(commit, "message")) is { } evidence)
            {
                yield return evidence;
            }
        }

        var authorAider = AiderAuthorName.Find(commit.Author.Name ?? "", Where.InCommit(commit, "author"));
        if (authorAider is not null)
        {
            yield return authorAider;
        }
        else if (AiderCommitterName.Find(commit.Committer.Name ?? "", Where.InCommit(commit, "committer")) is { } committerAider)
        {
            yield return committerAider;
        }
    }
}
