using ReviewBot.Core.Snapshot;
using static ReviewBot.Core.Tests.Authorship.Build;

namespace ReviewBot.Core.Tests.Authorship;

/// <summary>Footers, aider conventions, "Initial plan", PR markers carried into squash messages, merges of agent branches.</summary>
public sealed class CommitMessageSignalsTests
{
    public static TheoryData<Case<Commit>> Cases => new()
    {
        new("Claude Code footer (old URL)", Commit(Ada, "Fix\n\n🤖 Generated with [Claude Code](https://claude.ai/code)"),
            "ai-assisted", ["claude-code"], "claude-code.footer", "medium", "ada"),
        new("Claude Code footer (new URL)", Commit(Ada, "Fix\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)"),
            "ai-assisted", ["claude-code"], "claude-code.footer"),
        new("Devin CLI footer", Commit(Ada, "Fix\n\nGenerated with [Devin](https://devin.ai)"), "ai-assisted", ["devin"], "devin.footer"),
        new("aider subject prefix", Commit(Ada, "aider: Add retry"), "ai-assisted", ["aider"], "aider.subject-prefix"),
        new("'raider:' is not aider", Commit(Ada, "raider: Add retry"), "human", []),
        new("aider author suffix names the human", Commit(Git("Ada Lovelace (aider)", "ada@contoso.com"), "Add retry"),
            "ai-assisted", ["aider"], "aider.author-name", "medium", "Ada Lovelace"),
        new("aider committer-only suffix is weak (user-driven /commit)",
            Commit(Git("Ada Lovelace", "ada@contoso.com"), "Add retry", committer: Git("Ada Lovelace (aider)", "ada@contoso.com")),
            "ai-assisted", ["aider"], "aider.committer-name", "low"),
        new("'Initial plan' alone is weak and names no agent", Commit(Ada, "Initial plan"), "ai-assisted", [], "agent.initial-plan", "low"),
        new("'Initial plan' from the Copilot agent",
            Commit(Git("copilot-swe-agent[bot]", "198982749+Copilot@users.noreply.github.com"), "Initial plan"),
            "ai-authored", ["copilot-coding-agent"], "agent.initial-plan"),
        new("squash message carrying a Codex task link", Commit(Ada, "Simplify CI (#701)\n\n[Codex Task](https://chatgpt.com/codex/tasks/task_e_0123456789abcdef0123456789abcdef)"),
            "ai-authored", ["codex"], "codex.task-link", "medium", "ada"),
        new("merge of a codex/ branch: a convention alone, at most ai-assisted",
            Commit(Ada, "Merge pull request #671 from pardeike/codex/fix-patching-m7rk48", parents: 2),
            "ai-assisted", ["codex"], "codex.branch", "low"),
        new("a non-merge commit mentioning a codex/ branch is nothing", Commit(Ada, "Merge pull request #671 from pardeike/codex/fix"), "human", []),
        new("a plain human commit", Commit(Ada, "Fix the parser\n\nLong explanation."), "human", [], null, "medium", "-"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Commit_message(Case<Commit> row) => Expect.Commit(row, row.Input);
}
