using ReviewBot.Core.Snapshot;
using static ReviewBot.Core.Tests.Authorship.Build;

namespace ReviewBot.Core.Tests.Authorship;

/// <summary>Session/log trailers, Made-with, Assisted-by.</summary>
public sealed class SessionTrailerSignalsTests
{
    private static Commit With(string key, string value) => Commit(Ada, "Change", trailers: [T(key, value)]);

    public static TheoryData<Case<Commit>> Cases => new()
    {
        new("Copilot agent log link", With("Agent-Logs-Url", "https://github.com/contoso/widgets/sessions/0f8fad5b-d9cb-469f-a165-70867728950e"),
            "ai-authored", ["copilot-coding-agent"], "copilot-coding-agent.agent-logs-url", "medium"),
        new("Copilot agent log link plus agent identity: two strong signals",
            Commit(Git("copilot-swe-agent[bot]", "198982749+Copilot@users.noreply.github.com"), "Fix",
                trailers: [T("Agent-Logs-Url", "https://github.com/contoso/widgets/sessions/0f8fad5b-d9cb-469f-a165-70867728950e")]),
            "ai-authored", ["copilot-coding-agent"], "copilot-coding-agent.agent-logs-url", "high"),
        new("Agent-Logs-Url that is not a session link", With("Agent-Logs-Url", "see the wiki"), "human", []),
        new("Claude session", With("Claude-Session", "https://claude.ai/code/session_01AbCdEf"),
            "ai-assisted", ["claude-code"], "claude-code.session-trailer", "medium", "ada"),
        new("a Claude session trailer in a full commit message stays ai-assisted (the body rule is for PR bodies)",
            Commit(Ada, "Fix\n\nClaude-Session: https://claude.ai/code/session_01AbCdEf", trailers: [T("Claude-Session", "https://claude.ai/code/session_01AbCdEf")]),
            "ai-assisted", ["claude-code"], "claude-code.session-trailer"),
        new("Copilot CLI session", With("Copilot-Session", "3f2c9a70-5b1e-4c2d-9f3a-1b2c3d4e5f60"),
            "ai-assisted", ["copilot"], "copilot-cli.session-trailer"),
        new("Replit agent", With("Replit-Commit-Author", "Agent"), "ai-authored", ["replit"], "replit.agent-trailer"),
        new("Replit assistant", With("Replit-Commit-Author", "Assistant"), "ai-assisted", ["replit"], "replit.assistant-trailer"),
        new("Replit session id", With("Replit-Commit-Session-Id", "7d1e"), "ai-assisted", ["replit"], "replit.session-trailer"),
        new("Cursor IDE", With("Made-with", "Cursor"), "ai-assisted", ["cursor"], "cursor.made-with-trailer"),
        new("Made-with something else", With("Made-with", "love"), "human", []),
        new("kernel Assisted-by naming Claude", With("Assisted-by", "Claude:claude-opus-4 coccinelle"),
            "ai-assisted", ["claude-code"], "assisted-by.trailer", "medium"),
        new("kernel Assisted-by naming an unknown tool is weak", With("Assisted-by", "FooTool:v2"), "ai-assisted", ["footool"], "assisted-by.trailer", "low"),
        new("Signed-off-by a human is nothing", With("Signed-off-by", "Ada Lovelace <ada@contoso.com>"), "human", []),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Session_trailer(Case<Commit> row) => Expect.Commit(row, row.Input);
}
