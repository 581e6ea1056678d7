using System.Text.Json;
using ReviewBot.Core.Authorship;
using ReviewBot.Core.Serialization;
using static ReviewBot.Core.Tests.Authorship.Build;

namespace ReviewBot.Core.Tests.Authorship;

/// <summary>The public JSON shape of a verdict (CLI --format json, audit log): camelCase, enums as declared strings.</summary>
public sealed class VerdictJsonTests
{
    [Fact]
    public void Verdict_json_uses_the_documented_names()
    {
        var verdict = new AuthorshipClassifier().Classify(Pr(Account("Copilot", 198982749, bot: true),
            assignees: [Account("octocat", 583231)],
            commits: [Commit(Git("copilot-swe-agent[bot]", "198982749+Copilot@users.noreply.github.com"), "Fix")]));

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(verdict, ReviewBotJson.Options));
        var root = json.RootElement;

        Assert.Equal(["kind", "agents", "initiator", "initiators", "initiatorConfidence", "confidence", "evidence", "commits", "reason"],
            root.EnumerateObject().Select(p => p.Name));
        var claim = root.GetProperty("initiators")[0];
        Assert.Equal(["identity", "source", "how"], claim.EnumerateObject().Select(p => p.Name));
        Assert.Equal("text", claim.GetProperty("source").GetString()); // an assignee: editable, so low confidence
        Assert.Equal("low", root.GetProperty("initiatorConfidence").GetString());
        Assert.Equal("ai-authored", root.GetProperty("kind").GetString());
        Assert.Equal("high", root.GetProperty("confidence").GetString());
        Assert.Equal("octocat", root.GetProperty("initiator").GetString());

        var evidence = root.GetProperty("evidence")[0];
        Assert.Equal(["signal", "agent", "location", "matched", "strength", "implies", "note"], evidence.EnumerateObject().Select(p => p.Name));
        Assert.Equal("strong", evidence.GetProperty("strength").GetString());
        Assert.Equal("ai-authored", evidence.GetProperty("implies").GetString());

        var commit = root.GetProperty("commits")[0];
        Assert.Equal(["sha", "kind", "agents", "initiator", "confidence", "evidence", "reason"], commit.EnumerateObject().Select(p => p.Name));
    }
}
