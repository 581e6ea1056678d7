using ReviewBot.Core.Authorship;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Serialization;

namespace ReviewBot.Core.Policy;

/// <summary>A limit the change went past: which, the fact that passed it, and what that does.</summary>
public sealed record CapabilityExceeded(string Limit, string Fact, CapabilityOutcome Outcome);

/// <summary>Which profile governs the change and why, and the limits it went past.</summary>
public sealed record CapabilityAssessment(CapabilityProfile? Profile, string Reason, IReadOnlyList<CapabilityExceeded> Exceeded)
{
    /// <summary>How the profile shows in the decision's rules, blocks and approvals, with the rules file it came from.</summary>
    public string RuleName => Profile is null ? "capability profiles" : Named(Profile);

    /// <summary>The layer the profile came from (a file on its own is the repository's).</summary>
    public RuleLayer Layer => Profile?.Layer ?? RuleLayer.Repository;

    /// <summary>"capability profile 'juniors' (organisation)": the one way a profile is named in check text and tool answers.</summary>
    public static string Named(CapabilityProfile profile) => $"capability profile '{profile.Name}' ({ReviewBotJson.Name(profile.Layer)})";
}

/// <summary>
/// Picks the capability profile that governs an AI change and measures the change against it. Pure.
/// <list type="bullet">
/// <item>Profiles govern AI-involved changes (ai-authored, ai-assisted); a profile applies when its agent and
/// authorship selectors match and, when it selects by initiator, the dispatching human is listed or in a listed group.</item>
/// <item>With an identified initiator, the first applying profile in file order governs.</item>
/// <item>The initiator is identified only by a platform fact (high confidence): a git identity or text in the
/// body can be written by anyone, so it never chooses a looser profile. Without one, every profile whose agent
/// and authorship selectors match could apply, and the strictest of them on this change governs (most
/// blocks, then most approvals asked, then most limits set, then file order).</item>
/// </list>
/// </summary>
public static class CapabilityEvaluator
{
    /// <summary>Null when the rules define no profiles.</summary>
    public static CapabilityAssessment? Assess(RulesFile rules, ConditionContext context)
    {
        if (rules.Capabilities.Count == 0)
        {
            return null;
        }

        var authorship = context.Authorship;
        if (authorship.Kind is not (AuthorshipKind.AiAuthored or AuthorshipKind.AiAssisted))
        {
            return new CapabilityAssessment(null, $"capability profiles govern AI-involved changes; authorship is {Names.Of(authorship.Kind)}", []);
        }

        var agents = authorship.Agents.Count == 0 ? "no named agent" : "agent " + string.Join(", ", authorship.Agents);
        var candidates = rules.Capabilities.Where(p => SelectsAgent(p, authorship)).ToList();
        if (candidates.Count == 0)
        {
            return new CapabilityAssessment(null, $"no capability profile applies to {agents} ({Names.Of(authorship.Kind)})", []);
        }

        var (initiator, initiatorReason) = InitiatorIdentity.Of(authorship);
        if (initiator is null)
        {
            var strictest = candidates
                .Select((profile, index) => (Profile: profile, Index: index, Exceeded: Measure(profile, rules, context)))
                .OrderByDescending(c => c.Exceeded.Count(e => e.Outcome.Blocks))
                .ThenByDescending(c => c.Exceeded.Where(e => !e.Outcome.Blocks).Sum(e => e.Outcome.Approval!.Count))
                .ThenByDescending(c => Limits(c.Profile))
                .ThenBy(c => c.Index)
                .First();
            var among = candidates.Count == 1 ? "the only profile that could apply" : $"the strictest of the {candidates.Count} profiles that could apply";
            return new CapabilityAssessment(strictest.Profile, $"{agents}; {initiatorReason}, so {among} governs", strictest.Exceeded);
        }

        foreach (var profile in candidates)
        {
            if (InitiatorMatch(profile, initiator, context.GroupMembers, []) is { } why)
            {
                return new CapabilityAssessment(profile, $"{agents}; {why}", Measure(profile, rules, context));
            }
        }

        return new CapabilityAssessment(null, $"no capability profile applies to {agents} dispatched by {initiator}", []);
    }

    /// <summary>How many limits a profile sets: on a change that passes none, the profile with more limits is the stricter.</summary>
    private static int Limits(CapabilityProfile p)
        => p.Denied.Count + (p.AllowedPaths is null ? 0 : 1) + (p.DeniedPaths is null ? 0 : 1) + (p.TargetBranches is null ? 0 : 1)
            + (p.MaxChangedLines is null ? 0 : 1) + (p.MaxChangedFiles is null ? 0 : 1);

    private static bool SelectsAgent(CapabilityProfile profile, AuthorshipVerdict authorship)
        => (profile.Authorship.Count == 0 || profile.Authorship.Contains(authorship.Kind))
            && (profile.Agents is null || authorship.Agents.Any(profile.Agents.IsMatch));

    /// <summary>
    /// The profile that would govern an agent's changes before any change exists (the MCP tool <c>agent_capabilities</c>),
    /// from a declared identity: with an initiator, the first applying profile in file order (the initiator is in a
    /// profile's group when the group lists them or they declare membership); without one, of the profiles that could
    /// apply the one that sets the most limits, then file order (there is no change to measure). Null when the rules define no profiles.
    /// </summary>
    public static CapabilityAssessment? Declared(
        RulesFile rules, AuthorshipVerdict authorship, IReadOnlyDictionary<string, IReadOnlySet<string>> groupMembers, IReadOnlyList<string> initiatorGroups)
    {
        if (rules.Capabilities.Count == 0)
        {
            return null;
        }

        var agents = authorship.Agents.Count == 0 ? "no named agent" : "agent " + string.Join(", ", authorship.Agents);
        var candidates = rules.Capabilities.Where(p => SelectsAgent(p, authorship)).ToList();
        if (candidates.Count == 0)
        {
            return new CapabilityAssessment(null, $"no capability profile applies to {agents} ({Names.Of(authorship.Kind)})", []);
        }

        if (authorship.Initiator is not { } initiator)
        {
            var strictest = candidates.Select((p, i) => (Profile: p, Index: i)).OrderByDescending(c => Limits(c.Profile)).ThenBy(c => c.Index).First().Profile;
            var among = candidates.Count == 1 ? "the only profile that could apply" : $"the strictest of the {candidates.Count} profiles that could apply";
            return new CapabilityAssessment(strictest, $"{agents}; no initiator declared, so {among} governs", []);
        }

        foreach (var profile in candidates)
        {
            if (InitiatorMatch(profile, initiator, groupMembers, initiatorGroups) is { } why)
            {
                return new CapabilityAssessment(profile, $"{agents}; {why}", []);
            }
        }

        return new CapabilityAssessment(null, $"no capability profile applies to {agents} dispatched by {initiator}", []);
    }

    private static string? InitiatorMatch(CapabilityProfile profile, string initiator, IReadOnlyDictionary<string, IReadOnlySet<string>> groupMembers, IReadOnlyList<string> declaredGroups)
    {
        if (!profile.SelectsInitiator)
        {
            return $"initiator {initiator}; the profile governs every initiator";
        }

        if (profile.Initiators.Contains(initiator, StringComparer.OrdinalIgnoreCase))
        {
            return $"initiator {initiator} is listed";
        }

        var group = profile.InitiatorGroups.FirstOrDefault(g => GroupLookup.Members(groupMembers, g)?.Contains(initiator) == true
            || declaredGroups.Contains(g, StringComparer.OrdinalIgnoreCase));
        return group is null ? null : $"initiator {initiator} is a member of group {group}";
    }

    /// <summary>Every limit of the profile the change goes past, in the order the profile lists them.</summary>
    public static IReadOnlyList<CapabilityExceeded> Measure(CapabilityProfile profile, RulesFile rules, ConditionContext context)
    {
        var snapshot = context.Snapshot;
        var exceeded = new List<CapabilityExceeded>();
        void Past(string limit, string? fact, CapabilityOutcome outcome)
        {
            if (fact is not null)
            {
                exceeded.Add(new CapabilityExceeded(limit, fact, outcome));
            }
        }

        var paths = snapshot.Files.SelectMany(ChangedPaths.Of).ToList();
        var truncated = snapshot.FilesTruncated ? "the file list is truncated, so a file outside what is shown may be changed" : null;
        if (profile.DeniedPaths is { } denied)
        {
            Past($"paths.deny ({denied.Describe()})", paths.FirstOrDefault(denied.IsMatch) is { } hit ? $"{hit} changed" : truncated, profile.Exceed);
        }

        if (profile.AllowedPaths is { } allowed)
        {
            Past($"paths.allow ({allowed.Describe()})", paths.FirstOrDefault(p => !allowed.IsMatch(p)) is { } outside ? $"{outside} changed" : truncated, profile.Exceed);
        }

        if (profile.TargetBranches is { } branches && !branches.IsMatch(snapshot.BaseRef))
        {
            Past($"target_branches ({branches.Describe()})", $"the change targets {snapshot.BaseRef}", profile.Exceed);
        }

        var lines = snapshot.Files.Sum(f => f.ChangedLines);
        if (profile.MaxChangedLines is { } maxLines && lines > maxLines)
        {
            Past($"max_changed_lines ({maxLines})", $"{lines} lines changed", profile.Exceed);
        }

        if (profile.MaxChangedFiles is { } maxFiles && (snapshot.Files.Count > maxFiles || snapshot.FilesTruncated))
        {
            Past($"max_changed_files ({maxFiles})", snapshot.FilesTruncated ? $"more than {snapshot.Files.Count} files changed (the list is truncated)" : $"{snapshot.Files.Count} files changed", profile.Exceed);
        }

        foreach (var (capability, outcome) in profile.Denied.OrderBy(p => p.Key))
        {
            Past(RulesKeys.CapabilityKey(capability), AgentChangeFacts.Evidence(capability, snapshot, context.Risk, rules.Path), outcome);
        }

        return exceeded;
    }
}

/// <summary>Who dispatched the agent, when a platform fact says so.</summary>
public static class InitiatorIdentity
{
    /// <summary>The initiator's login when identified by a platform fact; otherwise null and why not.</summary>
    public static (string? Login, string Reason) Of(AuthorshipVerdict authorship)
    {
        if (authorship.Initiator is null)
        {
            return (null, "no initiator identified");
        }

        return authorship.InitiatorConfidence == Confidence.High
            ? (authorship.Initiator, $"initiator {authorship.Initiator}")
            : (null, $"initiator {authorship.Initiator} is only claimed{(authorship.Initiators.FirstOrDefault() is { } claim ? $" ({claim.How})" : "")}, not identified by a platform fact");
    }
}
