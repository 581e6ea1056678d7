using ReviewBot.Core.Decisions;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Policy;

/// <summary>A rule with <c>escalate:</c> whose requirement is unmet on a ready change: its clock runs.</summary>
public sealed record EscalationWait(string Rule, Escalation Escalation, GroupDefinition Group, string Unmet);

/// <summary>
/// Which escalation clocks run for a decision. Pure: a clock runs for each applied rule with <c>escalate:</c>
/// whose own approvals or checks are unmet, while the change is ready for review (not a draft) and has not passed.
/// </summary>
public static class EscalationPlanner
{
    public static IReadOnlyList<EscalationWait> Waiting(RulesFile rules, Decision decision, PullRequestSnapshot snapshot)
    {
        if (snapshot.Draft || decision.State == DecisionState.Pass)
        {
            return [];
        }

        var waits = new List<EscalationWait>();
        foreach (var rule in rules.Rules)
        {
            if (rule.Escalate is not { } escalation || !decision.Rules.Any(r => r.Applied && r.Name == rule.Name)
                || !rules.Groups.TryGetValue(escalation.Group, out var group))
            {
                continue;
            }

            var unmet = decision.Approvals.Where(a => a.Rule == rule.Name && !a.Satisfied).Select(a => $"{a.Missing} approval(s) from {a.From} missing")
                .Concat(decision.Checks.Where(c => c.Rule == rule.Name && c.State != CheckRequirementState.Passed).Select(c => $"check {c.Pattern} {c.State.ToString().ToLowerInvariant()}"))
                .ToList();
            if (unmet.Count > 0)
            {
                waits.Add(new EscalationWait(rule.Name, escalation, group, string.Join("; ", unmet)));
            }
        }

        return waits;
    }
}
