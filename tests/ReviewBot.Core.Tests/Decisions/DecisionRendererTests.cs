using ReviewBot.Core.Decisions;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Snapshot;
using static ReviewBot.Core.Tests.Decisions.PolicyFixtures;

namespace ReviewBot.Core.Tests.Decisions;

public sealed class DecisionRendererTests
{
    [Fact]
    public void Markdown_escapes_untrusted_text_and_defuses_mentions()
    {
        var rule = new PolicyRule { Name = "ping @acme/everyone | <b>", Block = "no *agents* in [ci](http://x)" };
        var decision = Evaluate(Rules(null, rule), Pr());

        Assert.DoesNotContain("@acme", decision.Summary);
        Assert.Contains("@\u200Bacme/everyone \\| \\<b\\>", decision.Summary);
        Assert.Contains("no \\*agents\\* in \\[ci\\](http://x)", decision.Summary);
        Assert.DoesNotContain("\n###", decision.Summary.TrimStart('#'));
    }

    [Fact]
    public void Text_and_markdown_render_the_same_explanation_tree()
    {
        var decision = Evaluate(Rules(null, NeedsSeniors(1, "build")), Pr(
            reviews: [ReviewBy("alice", ReviewState.Approved, 1, OldHead)],
            checks: [Passed("build")]));

        var text = DecisionRenderer.Text(decision, []);
        var markdown = decision.Summary;

        Assert.StartsWith("ReviewBot: PENDING: Needs 1 approval from group seniors\n", text);
        Assert.Contains("  [ok] AI changes need a senior: applied (repository): test condition matched", text);
        Assert.Contains("  [..] AI changes need a senior: 0 of 1 approval(s) from group seniors, 1 missing", text);
        Assert.Contains("    [--] alice: stale: approved on bbbbbbb, an older head", text);
        Assert.Contains("  [ok] build: passed (AI changes need a senior): passed: build: success", text);
        foreach (var section in DecisionRenderer.Sections(decision))
        {
            Assert.Contains(section.Heading, text);
            Assert.Contains("**" + DecisionRenderer.Escape(section.Heading) + "**", markdown);
        }
    }
}
