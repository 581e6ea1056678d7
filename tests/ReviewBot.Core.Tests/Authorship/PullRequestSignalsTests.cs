using ReviewBot.Core.Snapshot;
using static ReviewBot.Core.Tests.Authorship.Build;

namespace ReviewBot.Core.Tests.Authorship;

/// <summary>PR metadata: branch prefixes, body markers and links (with the template trap), labels and title prefixes.</summary>
public sealed class PullRequestSignalsTests
{
    private static readonly Person Pardeike = Account("pardeike", 853584);
    private const string CodexTask = "[Codex Task](https://chatgpt.com/codex/tasks/task_e_0123456789abcdef0123456789abcdef)";

    public static TheoryData<Case<PullRequestSnapshot>> Branches => new()
    {
        new("copilot/ alone: a convention, at most ai-assisted, low", Pr(headRef: "copilot/fix-login"),
            "ai-assisted", ["copilot-coding-agent"], "copilot-coding-agent.branch", "low", "bob"),
        new("codex/ alone", Pr(headRef: "codex/simplify-github-ci-test-labels-m7rk48"), "ai-assisted", ["codex"], "codex.branch", "low"),
        new("cursor/ alone", Pr(headRef: "cursor/fix-loop-no-end-date-crash-1edb"), "ai-assisted", ["cursor"], "cursor.branch"),
        new("devin/ alone", Pr(headRef: "devin/1763121919-api-alignment-patch"), "ai-assisted", ["devin"], "devin.branch"),
        new("claude/ alone", Pr(headRef: "claude/premailer-library-expansion-l6vqw2"), "ai-assisted", ["claude-code"], "claude-code.branch"),
        new("jules- alone", Pr(headRef: "jules-1234567890-1a2b3c4d"), "ai-assisted", ["jules"], "jules.branch"),
        new("refs/heads/ is stripped", Pr(headRef: "refs/heads/codex/x"), "ai-assisted", ["codex"], "codex.branch"),
        new("codex/ corroborated by the codex label", Pr(headRef: "codex/x", labels: ["codex"]),
            "ai-authored", ["codex"], "codex.label", "medium", "bob"),
        new("claude/ corroborated by a Claude commit", Pr(headRef: "claude/x-ab4c44",
                commits: [Commit(Git("Claude", "noreply@anthropic.com"), "Update")]),
            "ai-authored", ["claude-code"], "claude-code.branch"),
        new("copilot/ is not corroborated by another agent's signal", Pr(headRef: "copilot/x",
                commits: [Commit(Ada, "Fix", trailers: [CoAuthor("Claude <noreply@anthropic.com>")])]),
            "ai-assisted", ["claude-code"], "copilot-coding-agent.branch"),
        new("dependabot bump of @openai/codex is Dependabot, not Codex",
            Pr(Account("dependabot[bot]", 49699333, bot: true), headRef: "dependabot/npm_and_yarn/openai/codex-0.2.0",
                title: "Bump @openai/codex from 0.1.0 to 0.2.0",
                commits: [Commit(Git("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"), "Bump @openai/codex")]),
            "automation", [], "dependabot.branch", "high", "-"),
        new("a feature branch is nothing", Pr(headRef: "feature/codex-support"), "human", [], null, "medium", "-"),
    };

    public static TheoryData<Case<PullRequestSnapshot>> Bodies => new()
    {
        new("Copilot agent HTML marker", Pr(body: "Fixes #3\n\n<!-- START COPILOT CODING AGENT SUFFIX -->\n..."),
            "ai-authored", ["copilot-coding-agent"], "copilot-coding-agent.body-marker", "medium"),
        new("Copilot agent original prompt", Pr(body: "<details>\n<summary>Original prompt</summary>\nDo it\n</details>"),
            "ai-authored", ["copilot-coding-agent"], "copilot-coding-agent.body-text"),
        new("Copilot agent greeting", Pr(body: "Thanks for assigning this issue to me. I'm starting to work on it and will keep this PR's description up to date"),
            "ai-authored", ["copilot-coding-agent"], "copilot-coding-agent.body-text"),
        new("Copilot Workspace link", Pr(body: "For more details, open the [Copilot Workspace session](https://copilot-workspace.githubnext.com/contoso/widgets?shareId=1)."),
            "ai-assisted", ["copilot"], "copilot-workspace.body-link"),
        new("Codex cloud PR: task link, human opener is the initiator", Pr(Pardeike, headRef: "codex/fix-m7rk48", labels: ["codex"],
                body: $"## Summary\n- simplify\n\n## Testing\n- dotnet test\n\n------\n{CodexTask}"),
            "ai-authored", ["codex"], "codex.task-link", "medium", "pardeike"),
        new("Codex cloud/tasks variant", Pr(body: "https://chatgpt.com/codex/cloud/tasks/task_b_68a1f2c3d4e5f6a7b8c9d0e1f2a3b4c5"),
            "ai-authored", ["codex"], "codex.task-link"),
        new("Devin run link with requester", Pr(Account("devin-ai-integration[bot]", 158243242, bot: true),
                body: "Link to Devin run: https://app.devin.ai/sessions/0123456789abcdef0123456789abcdef\nRequested by: Martin Normark (@martinnormark)"),
            "ai-authored", ["devin"], "devin.session-link", "high", "Martin Normark (@martinnormark)"),
        new("Jules task footer names the starter", Pr(Account("google-labs-jules[bot]", 161369871, bot: true),
                body: "*PR created automatically by Jules for task [123456](https://jules.google.com/task/123456) started by @ada*"),
            "ai-authored", ["jules"], "jules.task-link", "high", "ada"),
        new("Cursor background agent marker", Pr(body: "<!-- CURSOR_AGENT_PR_BODY_BEGIN -->\nFix\n<!-- CURSOR_AGENT_PR_BODY_END -->"),
            "ai-authored", ["cursor"], "cursor.agent-marker", "medium", "bob"),
        new("Cursor Open-in-Web footer", Pr(body: "[Open in Web](https://cursor.com/agents/bc-0f8fad5b-d9cb-469f-a165-70867728950e)"),
            "ai-authored", ["cursor"], "cursor.agent-marker"),
        new("Claude Code on the web session", Pr(body: "Co-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>\nClaude-Session: https://claude.ai/code/session_01AbCdEf"),
            "ai-authored", ["claude-code"], "claude-code.session-link"),
        new("Claude Code PR footer", Pr(body: "Summary\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)"),
            "ai-assisted", ["claude-code"], "claude-code.footer", "medium"),
        new("ticked AI-generated checkbox (self-declaration) is weak", Pr(body: "- [x] This MR uses AI-generated content"),
            "ai-assisted", ["unknown-agent"], "ai-disclosure.checkbox", "low"),
        new("unticked AI-generated checkbox is nothing", Pr(body: "- [ ] This MR uses AI-generated content"), "human", []),
        new("ticked denial of AI-generated content is nothing", Pr(body: "- [x] This PR does not include AI-generated code\n- [x] I didn't use AI-generated content"), "human", []),

        // Template trap: the placeholder left in the body means Copilot did not expand it.
        new("copilot:summary template placeholder is ignored", Pr(body: "## Summary\ncopilot:summary\n\n## Walkthrough\ncopilot:walkthrough"),
            "human", [], "copilot.template-placeholder", "medium", "-"),
        new("template placeholder next to real markers does not count", Pr(body: "copilot:all\n\n" + CodexTask),
            "ai-authored", ["codex"], "copilot.template-placeholder"),
    };

    public static TheoryData<Case<PullRequestSnapshot>> Labels => new()
    {
        new("codex label alone", Pr(labels: ["codex"]), "ai-assisted", ["codex"], "codex.label", "low"),
        new("claude label alone", Pr(labels: ["claude"]), "ai-assisted", ["claude-code"], "claude-code.label"),
        new("claude-code-assisted label", Pr(labels: ["claude-code-assisted"]), "ai-assisted", ["claude-code"], "claude-code.assisted-label", "medium"),
        new("openhands label", Pr(labels: ["openhands"]), "ai-assisted", ["openhands"], "openhands.label"),
        new("Amazon Q issue label", Pr(labels: ["Amazon Q development agent"]), "ai-assisted", ["amazon-q"], "amazon-q.label"),
        new("[codex] title prefix with the codex label", Pr(title: "[codex] Simplify CI", labels: ["codex"]),
            "ai-authored", ["codex"], "codex.title-prefix"),
        new("unrelated labels", Pr(labels: ["bug", "dependencies"]), "human", []),
        new("a label mentioning codex is not the codex label", Pr(labels: ["codex-support"]), "human", []),
    };

    [Theory]
    [MemberData(nameof(Branches))]
    public void Branch_prefix(Case<PullRequestSnapshot> row) => Expect.Pr(row, row.Input);

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Body_marker(Case<PullRequestSnapshot> row) => Expect.Pr(row, row.Input);

    [Theory]
    [MemberData(nameof(Labels))]
    public void Label(Case<PullRequestSnapshot> row) => Expect.Pr(row, row.Input);

    [Fact]
    public void The_template_trap_is_explained_in_the_reason()
    {
        var verdict = new ReviewBot.Core.Authorship.AuthorshipClassifier().Classify(Pr(body: "copilot:summary"));
        Assert.Contains("ignored: copilot.template-placeholder at pr.body", verdict.Reason);
    }
}
