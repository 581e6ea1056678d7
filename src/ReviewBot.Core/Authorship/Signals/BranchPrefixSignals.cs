using System.Text.RegularExpressions;
using ReviewBot.Core.Snapshot;
using static ReviewBot.Core.Authorship.AuthorshipKind;
using static ReviewBot.Core.Authorship.Catalog.AgentIds;
using static ReviewBot.Core.Authorship.SignalStrength;

namespace ReviewBot.Core.Authorship.Signals;

/// <summary>
/// Agent branch prefixes (<c>copilot/</c>, <c>codex/</c>, <c>cursor/</c>, <c>devin/</c>, <c>claude/</c>,
/// <c>jules-</c>, …) on the PR head ref, or in a merge commit's "Merge pull request #N from owner/branch"
/// subject. A branch name is a convention anyone can use: alone it gives at most ai-assisted. Automation
/// prefixes (<c>dependabot/</c>, <c>renovate/</c>) are matched first, so <c>dependabot/npm_and_yarn/openai/codex-1.0</c>
/// is a Dependabot branch, not a Codex one.
/// </summary>
public sealed partial class BranchPrefixSignals : ISignalFamily
{
    public static IReadOnlyList<TextRule> Rules { get; } =
    [
        Automation("dependabot.branch", Dependabot, "dependabot/"),
        Automation("renovate.branch", Renovate, "renovate/"),
        Agent("copilot-coding-agent.branch", CopilotCodingAgent, "copilot/", Medium),
        Agent("codex.branch", Codex, "codex/", Medium),
        Agent("cursor.branch", Cursor, "cursor/", Medium),
        Agent("devin.branch", Devin, "devin/", Medium),
        Agent("claude-code.branch", ClaudeCode, "claude/", Medium),
        Agent("jules.branch", Jules, "jules-", Medium),
        Agent("sweep.branch", Sweep, "sweep/", Weak),
        Agent("aider.branch", Aider, "aider/", Weak),
        Agent("cline.branch", Cline, "cline/", Weak),
        Agent("gemini.branch", Gemini, "gemini/", Weak),
    ];

    public IEnumerable<Evidence> InPullRequest(PullRequestSnapshot pullRequest, SignalContext context)
        => Find(ShortBranch(pullRequest.HeadRef), Where.PrHeadRef, context);

    public IEnumerable<Evidence> InCommit(Commit commit, SignalContext context)
    {
        if (!commit.IsMerge)
        {
            return [];
        }

        var merged = MergedBranch().Match(commit.Subject);
        return merged.Success ? Find(merged.Groups["branch"].Value, Where.InCommit(commit, "merge subject"), context) : [];
    }

    private static IEnumerable<Evidence> Find(string branch, string location, SignalContext context)
    {
        if (branch.Length == 0)
        {
            yield break;
        }

        var rule = Rules.FirstOrDefault(r => r.Pattern.IsMatch(branch));
        if (rule is not null)
        {
            yield return rule.ToEvidence(branch, location);
            yield break;
        }

        var prefix = context.Extension.BranchPrefixes.FirstOrDefault(p => p.Length > 0 && branch.StartsWith(p, StringComparison.OrdinalIgnoreCase));
        if (prefix is not null)
        {
            yield return new Evidence
            {
                Signal = "org.branch",
                Agent = prefix.Trim().TrimEnd('/', '-').ToLowerInvariant(),
                Location = location,
                Matched = Where.Excerpt(branch),
                Strength = Medium,
                Implies = AiAuthored,
                Forgeable = true,
                Note = $"branch prefix '{prefix}' is listed in the rules file's agents section",
            };
        }
    }

    /// <summary>"refs/heads/x", "origin/x" → "x".</summary>
    public static string ShortBranch(string reference)
    {
        var r = reference.Trim();
        foreach (var prefix in (string[])["refs/heads/", "refs/remotes/origin/", "refs/remotes/upstream/", "origin/", "upstream/"])
        {
            if (r.StartsWith(prefix, StringComparison.Ordinal))
            {
                return r[prefix.Length..];
            }
        }

        return r;
    }

    private static TextRule Agent(string signal, string agent, string prefix, SignalStrength strength)
        => TextRule.Of(signal, agent, "^" + Regex.Escape(prefix), strength, AiAuthored,
            "a branch naming convention: counts as ai-authored only with another signal of the same agent")
            with { NeedsCorroboration = true };

    private static TextRule Automation(string signal, string bot, string prefix)
        => TextRule.Of(signal, bot, "^" + Regex.Escape(prefix), Medium, AuthorshipKind.Automation);

    [GeneratedRegex(@"^Merge (?:pull request|PR) #\d+ from [^/\s]+/(?<branch>\S+)", RegexOptions.IgnoreCase)]
    private static partial Regex MergedBranch();
}
