using ReviewBot.Core.Snapshot;
using static ReviewBot.Core.Tests.Authorship.Build;

namespace ReviewBot.Core.Tests.Authorship;

/// <summary>Commit author/committer identities: numeric noreply ids and exact emails, never display names.</summary>
public sealed class IdentitySignalsTests
{
    public static TheoryData<Case<Commit>> Cases => new()
    {
        new("Copilot coding agent commit on the PR branch, requester as co-author",
            Commit(Git("copilot-swe-agent[bot]", "198982749+Copilot@users.noreply.github.com"), "Add retry to the client",
                trailers: [CoAuthor("ada <12345+ada@users.noreply.github.com>")]),
            "ai-authored", ["copilot-coding-agent"], "copilot-coding-agent.commit-author", "medium", "ada"),
        new("Copilot agent commit with a verified signature is platform-confirmed",
            Commit(Git("copilot-swe-agent[bot]", "198982749+Copilot@users.noreply.github.com"), "Add retry", verified: true, signer: "copilot-swe-agent[bot]"),
            "ai-authored", ["copilot-coding-agent"], "copilot-coding-agent.signature", "high"),
        new("a verified signature by someone else does not vouch for a Copilot author address",
            Commit(Git("Copilot", "198982749+Copilot@users.noreply.github.com"), "Add retry", committer: Bob, verified: true),
            "ai-authored", ["copilot-coding-agent"], "copilot-coding-agent.commit-author", "medium"),
        new("a verified signature by the same agent identity vouches for its author address",
            Commit(Git("Copilot", "198982749+Copilot@users.noreply.github.com"), "Add retry", verified: true),
            "ai-authored", ["copilot-coding-agent"], "copilot-coding-agent.commit-author", "high"),
        new("Copilot agent identity whose signature the platform rejected: counts, but only medium",
            Commit(Git("Copilot", "198982749+Copilot@users.noreply.github.com"), "Add retry", verified: false),
            "ai-authored", ["copilot-coding-agent"], "copilot-coding-agent.commit-author", "medium"),
        new("squash-merged Copilot PR: author Copilot, committer GitHub web-flow",
            Commit(Git("Copilot", "198982749+Copilot@users.noreply.github.com"), "Fix flaky test (#812)", committer: WebFlow),
            "ai-authored", ["copilot-coding-agent"], "copilot-coding-agent.commit-author", "medium", "-"),
        new("Devin commit, requester's email as co-author",
            Commit(Git("Devin AI", "158243242+devin-ai-integration[bot]@users.noreply.github.com"), "Align the API",
                trailers: [CoAuthor("m@martinnormark.com <m@martinnormark.com>")]),
            "ai-authored", ["devin"], "devin.commit-author", "medium", "m@martinnormark.com"),
        new("Jules commit",
            Commit(Git("google-labs-jules[bot]", "161369871+google-labs-jules[bot]@users.noreply.github.com"), "Fix typo"),
            "ai-authored", ["jules"], "jules.commit-author"),
        new("claude-code-action commit with the human co-author",
            Commit(Git("claude[bot]", "209825114+claude[bot]@users.noreply.github.com"), "Address review",
                trailers: [CoAuthor("Ada Lovelace <12345+ada@users.noreply.github.com>")]),
            "ai-authored", ["claude-code"], "claude-code-action.commit-author", null, "ada"),
        new("claude[bot] under github-actions' id is Claude, not github-actions (exact email wins over id)",
            Commit(Git("claude[bot]", "41898282+claude[bot]@users.noreply.github.com"), "Address review"),
            "ai-authored", ["claude-code"], "claude-code-action.commit-author"),
        new("Claude Code on the web: author and committer Claude <noreply@anthropic.com>",
            Commit(Git("Claude", "noreply@anthropic.com"), "Expand the library"),
            "ai-authored", ["claude-code"], "claude-code.commit-author", "medium"),
        new("Claude via Agent HQ",
            Commit(Git("anthropic-code-agent[bot]", "242468646+Claude@users.noreply.github.com"), "Initial plan"),
            "ai-authored", ["claude-code"], "claude-agent.commit-author"),
        new("Codex via Agent HQ",
            Commit(Git("openai-code-agent[bot]", "242516109+openai-code-agent[bot]@users.noreply.github.com"), "Fix"),
            "ai-authored", ["codex"], "codex-agent.commit-author"),
        new("Cursor background agent",
            Commit(Git("Cursor Agent", "cursoragent@cursor.com"), "Fix loop without end date"),
            "ai-authored", ["cursor"], "cursor-agent.commit-author"),
        new("Amazon Q Developer",
            Commit(Git("amazon-q-developer[bot]", "208079219+amazon-q-developer[bot]@users.noreply.github.com"), "Implement feature"),
            "ai-authored", ["amazon-q"], "amazon-q.commit-author"),
        new("Sweep",
            Commit(Git("sweep-ai[bot]", "128439645+sweep-ai[bot]@users.noreply.github.com"), "Sweep: fix"),
            "ai-authored", ["sweep"], "sweep.commit-author"),
        new("Codegen by login",
            Commit(Account("codegen-sh[bot]", bot: true), "Refactor"),
            "ai-authored", ["codegen"], "codegen.commit-author"),
        new("OpenHands default git identity",
            Commit(Git("openhands", "openhands@all-hands.dev"), "Fix issue"),
            "ai-authored", ["openhands"], "openhands.commit-author", "medium"),
        new("an agent committing a human's change is ai-assisted",
            Commit(Bob, "Tidy", committer: Git("Cursor Agent", "cursoragent@cursor.com")),
            "ai-assisted", ["cursor"], "cursor-agent.committer", null, "Bob Builder"),

        // Spoofing: display names are never matched.
        new("display name Copilot with a human address is human",
            Commit(Git("Copilot", "copilot@contoso.com"), "Fix"), "human", []),
        new("display name copilot-swe-agent[bot] on someone else's noreply id is human",
            Commit(Git("copilot-swe-agent[bot]", "99999+mallory@users.noreply.github.com"), "Fix"), "human", []),
        new("a human named Claude is human",
            Commit(Git("Claude Martin", "claude.martin@contoso.com"), "Fix"), "human", []),
        new("display name dependabot[bot] with a human address is not automation",
            Commit(Git("dependabot[bot]", "eve@contoso.com"), "Bump"), "human", []),
        new("the GitHub web editor identity is neither AI nor automation",
            Commit(WebFlow, "Update README.md"), "human", []),
        new("a forged Copilot agent address still reads as the agent, flagged forgeable (never high)",
            Commit(Git("Mallory", "198982749+Copilot@users.noreply.github.com"), "Looks like Copilot"),
            "ai-authored", ["copilot-coding-agent"], "copilot-coding-agent.commit-author", "medium"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Commit_identity(Case<Commit> row) => Expect.Commit(row, row.Input);

    [Fact]
    public void Forged_identity_evidence_says_so()
    {
        var verdict = new ReviewBot.Core.Authorship.AuthorshipClassifier().ClassifyCommit(
            Commit(Git("Mallory", "198982749+Copilot@users.noreply.github.com"), "x", verified: false));
        var evidence = Assert.Single(verdict.Evidence);
        Assert.Equal(ReviewBot.Core.Authorship.SignalStrength.Medium, evidence.Strength);
        Assert.Contains("not verified", evidence.Note);
        Assert.Contains("noreply id 198982749", evidence.Matched);
    }
}
