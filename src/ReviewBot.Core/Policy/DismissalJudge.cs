using ReviewBot.Core.Decisions;
using ReviewBot.Core.Risk;

namespace ReviewBot.Core.Policy;

/// <summary>What the rules demand of a change under one risk report: the parts of a decision before its state.</summary>
internal sealed record Demands(
    IReadOnlyList<RuleResult> Rules,
    IReadOnlyList<ApprovalDemand> Approvals,
    IReadOnlyList<CheckRequirementResult> Checks,
    IReadOnlyList<BlockResult> Blocks,
    IReadOnlyList<string> Labels,
    IReadOnlyList<string> Users,
    IReadOnlyList<string> Teams,
    IReadOnlyList<string> Notes);

/// <summary>
/// Decides which dismissal candidates (<see cref="CommandEvaluator"/>) may change the decision. A dismissal lowers what a
/// finding demands only as far as its author could meet that demand: compared with the change with every finding, the
/// demands the dismissals take away must be approval requirements that those responsible for them could count towards;
/// a block or a required check is never taken away (only an override lifts those).
/// <para>Judged as a set, so the order of the comments does not matter. Each round: the demands lost with all standing
/// dismissals; for each, the dismissals responsible (without which it would come back); when none is responsible alone
/// (several together take it away), all standing dismissals are. Every responsible dismissal whose author could not count
/// towards the lost demand is refused, and the round repeats with the rest until nothing is refused.</para>
/// </summary>
internal static class DismissalJudge
{
    /// <param name="Demands">What the change demands with the dismissals that stand.</param>
    /// <param name="Lifted">The demands of the change with every finding that those dismissals took away.</param>
    /// <param name="Refusals">Comment id → why that candidate was refused.</param>
    internal sealed record Verdict(Demands Demands, IReadOnlyList<DismissedFinding> Dismissals, IReadOnlyList<string> Lifted, IReadOnlyDictionary<long, string> Refusals);

    /// <summary>One demand as the comparison sees it; <paramref name="CouldMeet"/> is null for a block or a check, which nobody meets by approving.</summary>
    private sealed record Demand(string Key, string Text, Func<string, bool>? CouldMeet);

    public static Verdict Judge(Demands full, IReadOnlyList<DismissedFinding> candidates, Func<IReadOnlyList<DismissedFinding>, Demands> under)
    {
        var standing = candidates.ToList();
        var refusals = new Dictionary<long, string>();
        var now = full;
        while (standing.Count > 0)
        {
            now = under(standing);
            var lost = Lost(full, now);
            if (lost.Count == 0)
            {
                break;
            }

            var withoutEach = standing.ToDictionary(d => d.CommentId, d => Keys(under([.. standing.Where(other => other != d)])));
            var culprits = new Dictionary<long, string>();
            foreach (var demand in lost)
            {
                var responsible = standing.Where(d => withoutEach[d.CommentId].Contains(demand.Key)).ToList();
                foreach (var dismissal in (responsible.Count > 0 ? responsible : standing).Where(d => demand.CouldMeet?.Invoke(d.By) != true))
                {
                    culprits.TryAdd(dismissal.CommentId, Refusal(dismissal, demand, together: responsible.Count == 0));
                }
            }

            if (culprits.Count == 0)
            {
                break;
            }

            standing.RemoveAll(d => culprits.ContainsKey(d.CommentId));
            foreach (var (commentId, refusal) in culprits)
            {
                refusals[commentId] = refusal;
            }
        }

        if (standing.Count == 0)
        {
            now = full;
        }

        return new Verdict(now, standing, [.. Lost(full, now).Select(d => d.Text)], refusals);
    }

    private static string Refusal(DismissedFinding dismissal, Demand demand, bool together)
    {
        var what = together ? $"the dismissals of this head together would lift {demand.Text}" : $"dismissing {dismissal.Finding.Id} would lift {demand.Text}";
        return demand.CouldMeet is null
            ? $"{what}; a dismissal never lifts a block or a required check (only an override does); nothing changed"
            : $"{what}, which @{dismissal.By} could not approve; a dismissal lowers only what its author could approve; nothing changed";
    }

    private static List<Demand> Lost(Demands full, Demands now)
    {
        var kept = Keys(now);
        return [.. All(full).Where(d => !kept.Contains(d.Key))];
    }

    private static HashSet<string> Keys(Demands demands) => [.. All(demands).Select(d => d.Key)];

    private static IEnumerable<Demand> All(Demands demands)
        => demands.Blocks.Select(b => new Demand($"block\n{b.Rule}\n{b.Message}", $"{b.Rule}: blocked: {b.Message}", null))
            .Concat(demands.Checks.Select(c => new Demand($"check\n{c.Rule}\n{c.Pattern}", $"{c.Rule}: check {c.Pattern}", null)))
            .Concat(demands.Approvals.Where(a => a.Result.Required > 0).Select(a => new Demand(
                $"approval\n{a.Result.Rule}\n{a.Result.From}\n{a.Result.Required}",
                $"{a.Result.Rule}: {(a.Result.Required == 1 ? "1 approval" : $"{a.Result.Required} approvals")} from {a.Result.From}",
                login => a.CouldCount(login) && AloneCouldMeet(a.Result, login))));

    /// <summary>
    /// One person meets a demand only when it needs at most their own approval besides those already counted from
    /// others: a dismissal by one reviewer never takes away a second person's approval (a two-approval demand lifted to
    /// one would let one person do what the rules ask two for).
    /// </summary>
    private static bool AloneCouldMeet(ApprovalRequirementResult result, string login)
    {
        var own = result.Reviewers.Any(r => r.Verdict == ReviewerVerdict.Counted && string.Equals(r.Reviewer, login, StringComparison.OrdinalIgnoreCase)) ? 1 : 0;
        return result.Required - (result.Approved - own) <= 1;
    }
}
