using System.Text.RegularExpressions;
using ReviewBot.Core.Snapshot;
using static ReviewBot.Core.Authorship.AuthorshipKind;
using static ReviewBot.Core.Authorship.Catalog.AgentIds;
using static ReviewBot.Core.Authorship.SignalStrength;

namespace ReviewBot.Core.Authorship.Signals;

/// <summary>
/// Trailers other than co-authors that tools add: session and log links (<c>Agent-Logs-Url</c>,
/// <c>Claude-Session</c>, <c>Copilot-Session</c>, Replit), <c>Made-with: Cursor</c>, the kernel's
/// <c>Assisted-by:</c>, and the trailers an organisation lists in its rules file.
/// </summary>
public sealed partial class SessionTrailerSignals : ISignalFamily
{
    /// <summary>Trailer key → rule matched against "Key: value".</summary>
    public static IReadOnlyList<TextRule> Rules { get; } =
    [
        TextRule.Of("copilot-coding-agent.agent-logs-url", CopilotCodingAgent,
            @"^agent-logs-url:\s*https://github\.com/[^/\s]+/[^/\s]+/sessions/[0-9a-f-]{36}", Strong, AiAuthored,
            "the Copilot coding agent links its session log from every commit it makes"),
        TextRule.Of("claude-code.session-trailer", ClaudeCode, @"^claude-session:\s*https://claude\.ai/code/session_\w+", Strong, AiAssisted),
        TextRule.Of("copilot-cli.session-trailer", Copilot, @"^copilot-session:\s*[0-9a-f-]{8,}", Medium, AiAssisted),
        TextRule.Of("replit.agent-trailer", Replit, @"^replit-commit-author:\s*agent\b", Medium, AiAuthored),
        TextRule.Of("replit.assistant-trailer", Replit, @"^replit-commit-author:\s*assistant\b", Medium, AiAssisted),
        TextRule.Of("replit.session-trailer", Replit, @"^replit-commit-session-id:\s*\S+", Medium, AiAssisted),
        TextRule.Of("cursor.made-with-trailer", Cursor, @"^made-with:\s*cursor\s*$", Medium, AiAssisted),
    ];

    public IEnumerable<Evidence> InCommit(Commit commit, SignalContext context)
    {
        var location = Where.InCommit(commit, "trailer");
        foreach (var trailer in commit.Trailers)
        {
            var text = trailer.ToString();
            foreach (var rule in Rules)
            {
                if (rule.Find(text, location) is { } evidence)
                {
                    yield return evidence;
                }
            }

            if (AssistedBy(trailer, location) is { } assisted)
            {
                yield return assisted;
            }

            foreach (var spec in context.Extension.Trailers)
            {
                if (Matches(spec, trailer))
                {
                    yield return new Evidence
                    {
                        Signal = "org.trailer",
                        Agent = OrganisationAgent(spec),
                        Location = location,
                        Matched = Where.Excerpt(text),
                        Strength = Medium,
                        Implies = AiAssisted,
                        Forgeable = true,
                        Note = $"trailer '{spec}' is listed in the rules file's agents section",
                    };
                }
            }
        }
    }

    /// <summary>Linux kernel convention <c>Assisted-by: AGENT_NAME:MODEL_VERSION [TOOLS]</c>.</summary>
    private static Evidence? AssistedBy(Trailer trailer, string location)
    {
        if (!trailer.Key.Equals("Assisted-by", StringComparison.OrdinalIgnoreCase) || trailer.Value.Trim().Length == 0)
        {
            return null;
        }

        var tool = trailer.Value.Trim().Split(':', ' ')[0];
        var known = Catalog.AgentNames.Find(tool);
        return new Evidence
        {
            Signal = "assisted-by.trailer",
            Agent = known ?? Catalog.IdentityCatalog.AgentIdOf(tool),
            Location = location,
            Matched = Where.Excerpt(trailer.ToString()),
            Strength = known is null ? Weak : Medium,
            Implies = AiAssisted,
            Forgeable = true,
            Note = known is null
                ? "Assisted-by naming no known AI tool: weak (some projects credit people this way)"
                : "a declared AI assistant (Linux kernel Assisted-by convention)",
        };
    }

    /// <summary>"Key", "Key: value" or "Key: prefix*" (case-insensitive).</summary>
    internal static bool Matches(string spec, Trailer trailer)
    {
        var colon = spec.IndexOf(':');
        var key = (colon < 0 ? spec : spec[..colon]).Trim();
        if (!trailer.Key.Equals(key, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (colon < 0)
        {
            return true;
        }

        var value = spec[(colon + 1)..].Trim();
        return value.EndsWith('*')
            ? trailer.Value.Trim().StartsWith(value[..^1], StringComparison.OrdinalIgnoreCase)
            : trailer.Value.Trim().Equals(value, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>An organisation trailer names its agent by the trailer value (without wildcard), else by its key.</summary>
    private static string OrganisationAgent(string spec)
    {
        var colon = spec.IndexOf(':');
        var value = colon < 0 ? "" : spec[(colon + 1)..].Trim().TrimEnd('*').Trim();
        var name = value.Length > 0 && !value.Contains('@') ? value : (colon < 0 ? spec : spec[..colon]).Trim();
        return NonWord().Replace(name.ToLowerInvariant(), "-").Trim('-');
    }

    [GeneratedRegex(@"[^a-z0-9.\-]+")]
    private static partial Regex NonWord();
}
