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
                .Concat(decision.Checks.Where(c => c.Rule == rule.Name && c.State != CheckRequirementState.Passed).Select(c => $"check {c.Label} {c.State.ToString().ToLowerInvariant()}"))
                .ToList();
            if (unmet.Count > 0)
            {
                waits.Add(new EscalationWait(rule.Name, escalation, group, string.Join("; ", unmet)));
            }
        }

        return waits;
    }

    /// <summary>
    /// The decision with the escalations whose clocks ran out on this head (<paramref name="fired"/>: rule names, read from
    /// the store by the caller) carried out: for each such rule still waiting, the group's users (never the author) and
    /// teams are added to the review requests and a note says so in the check. A rule met since its clock fired is left alone.
    /// </summary>
    public static Decision Escalate(Decision decision, IReadOnlyList<EscalationWait> waiting, IReadOnlyCollection<string> fired, PullRequestSnapshot snapshot)
    {
        var due = waiting.Where(w => fired.Contains(w.Rule, StringComparer.Ordinal)).ToList();
        if (due.Count == 0)
        {
            return decision;
        }

        var users = due.SelectMany(w => w.Group.Users).Where(u => !string.Equals(u, snapshot.Author.Login, StringComparison.OrdinalIgnoreCase));
        return decision with
        {
            ReviewersToRequest = [.. decision.ReviewersToRequest.Concat(users).Distinct(StringComparer.OrdinalIgnoreCase)],
            TeamsToRequest = [.. decision.TeamsToRequest.Concat(due.SelectMany(w => w.Group.Teams)).Distinct(StringComparer.OrdinalIgnoreCase)],
            Notes = [.. decision.Notes, .. due.Select(Note)],
        };
    }

    /// <summary>The check's line for a carried-out escalation, e.g. "escalated to seniors after 1d unmet (rule …)".</summary>
    public static string Note(EscalationWait wait)
        => $"escalated to {wait.Group.Name} after {Escalation.Format(wait.Escalation.After)} unmet (rule \"{wait.Rule}\": {wait.Unmet})";
}
