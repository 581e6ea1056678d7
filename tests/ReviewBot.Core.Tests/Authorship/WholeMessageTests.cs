using ReviewBot.Core.Snapshot;
using static ReviewBot.Core.Tests.Authorship.Build;

namespace ReviewBot.Core.Tests.Authorship;

/// <summary>
/// Whole commit messages in the shapes the tools write, with trailers parsed by the snapshot's
/// <see cref="TrailerParser"/> (as the git and platform adapters do), not constructed by hand.
/// </summary>
public sealed class WholeMessageTests
{
    private static Commit Parsed(Person author, string message, Person? committer = null)
        => Commit(author, message, committer) with { Trailers = TrailerParser.Parse(message) };

    public static TheoryData<Case<Commit>> Cases => new()
    {
        new("Claude Code CLI commit", Parsed(Ada, """
            Add retry to the HTTP client

            Retries idempotent requests twice with jitter.

            🤖 Generated with [Claude Code](https://claude.com/claude-code)

            Co-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>
            """),
            "ai-assisted", ["claude-code"], "claude-code.co-author-trailer", "medium", "ada"),
        new("Copilot coding agent commit with its log link and the requester", Parsed(
            Git("copilot-swe-agent[bot]", "198982749+Copilot@users.noreply.github.com"), """
            Fix the login redirect loop

            Agent-Logs-Url: https://github.com/contoso/widgets/sessions/0f8fad5b-d9cb-469f-a165-70867728950e
            Co-authored-by: octocat <583231+octocat@users.noreply.github.com>
            """),
            "ai-authored", ["copilot-coding-agent"], "copilot-coding-agent.agent-logs-url", "high", "octocat"),
        new("squash-merged Copilot PR", Parsed(Git("Copilot", "198982749+Copilot@users.noreply.github.com"), """
            Fix flaky retry test (#812)

            * Initial plan

            * Fix the flaky retry test

            ---------

            Co-authored-by: copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>
            Co-authored-by: octocat <583231+octocat@users.noreply.github.com>
            """, committer: WebFlow),
            "ai-authored", ["copilot-coding-agent"], "copilot-coding-agent.co-author-trailer", "medium", "octocat"),
        new("aider commit", Parsed(Git("Ada Lovelace (aider)", "ada@contoso.com"), """
            aider: Add a --dry-run flag

            Co-authored-by: aider (anthropic/claude-sonnet-4) <aider@aider.chat>
            """),
            "ai-assisted", ["aider"], "aider.co-author-trailer", "medium", "Ada Lovelace"),
        new("bot dependency update fixed with Claude and a human", Parsed(
            Git("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com"), """
            chore(deps): update Cocoa SDK to v8.57.0 (#4500)

            Co-Authored-By: Claude Opus 5 <noreply@anthropic.com>
            Co-authored-by: Ada Lovelace <12345+ada@users.noreply.github.com>
            """),
            "ai-assisted", ["claude-code"], "claude-code.co-author-trailer", "medium", "ada"),
        new("a co-author line inside prose is not a trailer", Parsed(Ada, """
            Document attribution

            We decided that Co-authored-by: Claude <noreply@anthropic.com> lines
            are kept when squashing, see the wiki for the policy.

            Fixes #12
            """),
            "human", []),
        new("Dependabot commit", Parsed(Git("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"), """
            Bump xunit from 2.9.2 to 2.9.3

            Bumps [xunit](https://github.com/xunit/xunit) from 2.9.2 to 2.9.3.

            ---
            updated-dependencies:
            - dependency-name: xunit
              dependency-version: 2.9.3
              dependency-type: direct:production
              update-type: version-update:semver-patch
            ...

            Signed-off-by: dependabot[bot] <support@github.com>
            """),
            "automation", [], "dependabot.commit-author", "medium", "-"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Whole_message(Case<Commit> row) => Expect.Commit(row, row.Input);
}
