using ReviewBot.Core.Snapshot;
using static ReviewBot.Core.Authorship.AuthorshipKind;
using static ReviewBot.Core.Authorship.Catalog.AgentIds;
using static ReviewBot.Core.Authorship.SignalStrength;

namespace ReviewBot.Core.Authorship.Signals;

/// <summary>
/// Labels and title prefixes agents put on their PRs (<c>codex</c>, <c>claude</c>, <c>sweep</c>,
/// <c>[codex]</c> …) and the labels an organisation lists in its rules file. Anyone with triage rights
/// can set a label, so built-in ones need another signal of the same agent to argue for ai-authored.
/// </summary>
public sealed class LabelSignals : ISignalFamily
{
    public static IReadOnlyList<TextRule> LabelRules { get; } =
    [
        Convention("codex.label", Codex, @"^codex$", Medium),
        Convention("claude-code.label", ClaudeCode, @"^claude$", Medium),
        TextRule.Of("claude-code.assisted-label", ClaudeCode, @"^claude-code-assisted$", Medium, AiAssisted),
        Convention("openhands.label", OpenHands, @"^openhands$", Medium),
        Convention("openhands.fix-me-label", OpenHands, @"^fix-me$", Weak),
        Convention("sweep.label", Sweep, @"^sweep$", Weak),
        Convention("amazon-q.label", AmazonQ, @"^Amazon Q (?:development|transform) agent$", Medium),
    ];

    public static IReadOnlyList<TextRule> TitleRules { get; } =
    [
        Convention("codex.title-prefix", Codex, @"^\[codex\]", Medium),
        Convention("sweep.title-prefix", Sweep, @"^Sweep: ", Weak),
    ];

    public IEnumerable<Evidence> InPullRequest(PullRequestSnapshot pullRequest, SignalContext context)
    {
        foreach (var label in pullRequest.Labels)
        {
            foreach (var rule in LabelRules)
            {
                if (rule.Find(label.Trim(), Where.PrLabels) is { } evidence)
                {
                    yield return evidence;
                }
            }

            if (context.Extension.Labels.FirstOrDefault(l => l.Trim().Equals(label.Trim(), StringComparison.OrdinalIgnoreCase)) is { } org)
            {
                yield return new Evidence
                {
                    Signal = "org.label",
                    Agent = org.Trim().ToLowerInvariant(),
                    Location = Where.PrLabels,
                    Matched = Where.Excerpt(label),
                    Strength = Medium,
                    Implies = AiAuthored,
                    Forgeable = true,
                    Note = $"label '{org}' is listed in the rules file's agents section",
                };
            }
        }

        foreach (var rule in TitleRules)
        {
            if (rule.Find(pullRequest.Title, Where.PrTitle) is { } evidence)
            {
                yield return evidence;
            }
        }
    }

    private static TextRule Convention(string signal, string agent, string pattern, SignalStrength strength)
        => TextRule.Of(signal, agent, pattern, strength, AiAuthored, "a naming convention: counts as ai-authored only with another signal of the same agent")
            with { NeedsCorroboration = true };
}
