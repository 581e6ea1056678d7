using ReviewBot.Core.Authorship;
using ReviewBot.Core.Authorship.Catalog;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Policy;

/// <summary>
/// rules + snapshot + authorship + risk + resolved membership → <see cref="Decision"/>. Pure and deterministic.
/// <list type="bullet">
/// <item>Each rule applies when its <c>if:</c> matches (no condition: always); the condition's sentence is the reason.</item>
/// <item>Applied rules contribute approvals (<see cref="ApprovalEvaluator"/>), checks
/// (<see cref="CheckRequirementEvaluator"/>), blocks, labels and reviewers to request.</item>
/// <item>State: <c>fail</c> when the rules (base or head) are invalid, a rule blocks, a veto stands or a
/// required check failed; else <c>pending</c> when approvals are missing or checks are pending or missing;
/// else <c>pass</c>.</item>
/// </list>
/// A condition that throws is a broken contract: the exception propagates and the caller reports an error.
/// </summary>
public sealed class PolicyEvaluator
{
    public Decision Evaluate(
        RulesFile rules,
        PullRequestSnapshot snapshot,
        AuthorshipVerdict authorship,
        RiskReport risk,
        ResolvedMembership? membership = null)
    {
        membership ??= ResolvedMembership.None;
        var context = new ConditionContext
        {
            Snapshot = snapshot,
            Authorship = authorship,
            Risk = risk,
            GroupMembers = membership.GroupMembers(rules),
        };
        var approvalsOf = new ApprovalEvaluator(snapshot, authorship, rules.Defaults, rules.Groups, membership, IdentityCatalog.Create(rules.Agents));
        var checksOf = new CheckRequirementEvaluator(snapshot);
        Demands Under(RiskReport report) => DemandsOf(rules, context with { Risk = report }, approvalsOf, checksOf, membership);

        // Dismissals are judged against what the change demands with every finding, and the rules then see the risk without them.
        var full = Under(risk);
        var scope = new DismissalScope(risk.Findings, login => full.Approvals.Any(a => a.Result.Required > 0 && a.CouldCount(login)),
            Distinct(full.Approvals.Where(a => a.Result.Required > 0).Select(a => a.Result.From)));
        var (answers, accepted, candidates) = new CommandEvaluator(snapshot, authorship, rules.Overrides, rules.Defaults, rules.Groups, membership, IdentityCatalog.Create(rules.Agents))
            .Evaluate(scope);
        var judged = DismissalJudge.Judge(full, candidates, dismissed => Under(RiskScorer.Dismiss(risk, dismissed, snapshot.Files, rules.Risk)));
        var demands = judged.Demands;
        var decision = new Decision
        {
            State = DecisionState.Pass,
            Title = "",
            Summary = "",
            RulesPath = rules.Path,
            Rules = demands.Rules,
            Approvals = [.. demands.Approvals.Select(a => a.Result)],
            Checks = demands.Checks,
            Blocks = demands.Blocks,
            Labels = Distinct(demands.Labels),
            ReviewersToRequest = Distinct(demands.Users.Where(approvalsOf.MayBeRequested)),
            TeamsToRequest = Distinct(demands.Teams),
            Notes = Distinct(demands.Notes),
            Dismissals = judged.Dismissals,
            LiftedByDismissals = judged.Lifted,
            Commands = [.. answers.Select(a => judged.Refusals.TryGetValue(a.CommentId, out var refusal) ? a with { Accepted = false, Text = refusal } : a)],
        };
        return Finish(accepted is null ? decision : decision with { Override = Lifting(accepted, rules.Overrides!, decision) });
    }

    /// <summary>What the rules demand of the change as <paramref name="context"/> shows it (its risk report in particular).</summary>
    private static Demands DemandsOf(RulesFile rules, ConditionContext context, ApprovalEvaluator approvalsOf, CheckRequirementEvaluator checksOf, ResolvedMembership membership)
    {
        var snapshot = context.Snapshot;
        var ruleResults = new List<RuleResult>();
        var approvals = new List<ApprovalDemand>();
        var checks = new List<CheckRequirementResult>();
        var blocks = new List<BlockResult>();
        var labels = new List<string>();
        var users = new List<string>();
        var teams = new List<string>();
        var notes = new List<string>(membership.Notes);

        void Require(string ruleName, ApprovalRequirement requirement)
        {
            foreach (var demand in approvalsOf.Demands(ruleName, requirement))
            {
                var result = demand.Result;
                approvals.Add(demand);
                if (!requirement.CodeOwners && approvalsOf.PossibleApprovers(requirement) is { } possible && possible < requirement.Count)
                {
                    notes.Add($"rule \"{ruleName}\": {result.From} has {possible} possible approver(s) for {requirement.Count} required");
                }

                if (!result.Satisfied)
                {
                    users.AddRange(result.EligibleUsers);
                    teams.AddRange(result.EligibleTeams);
                }
            }
        }

        // The profile governing an AI change: each limit it went past blocks or asks its approval, naming the limit and the fact.
        if (CapabilityEvaluator.Assess(rules, context) is { } capability)
        {
            ruleResults.Add(new RuleResult { Name = capability.RuleName, Applied = capability.Profile is not null, Reason = capability.Reason, Layer = capability.Layer });
            foreach (var exceeded in capability.Exceeded)
            {
                var passed = $"{exceeded.Limit} exceeded: {exceeded.Fact}";
                if (exceeded.Outcome.Approval is { } approval)
                {
                    Require($"{capability.RuleName}, {passed}", approval);
                }
                else
                {
                    blocks.Add(new BlockResult(capability.RuleName, $"{capability.RuleName} does not allow this: {passed}"));
                }
            }
        }

        foreach (var rule in rules.Rules)
        {
            var condition = rule.If?.Evaluate(context) ?? new ConditionResult(true, "no condition: always applies");
            var ruleResult = new RuleResult { Name = rule.Name, Applied = condition.Matched, Reason = condition.Reason, Layer = rule.Layer, Mode = rule.Mode };
            if (condition.Matched && rule.Mode != RuleMode.Enforce)
            {
                // Watched, not enforced: what it would demand is said, and nothing of it reaches the conclusion.
                ruleResult = ruleResult with { Unmet = Unmet(rule, approvalsOf, checksOf) };
            }

            ruleResults.Add(ruleResult);
            if (!condition.Matched || rule.Mode != RuleMode.Enforce)
            {
                continue;
            }

            if (rule.Block is { } message)
            {
                blocks.Add(new BlockResult(rule.Name, message));
            }

            foreach (var requirement in rule.Require.Approvals)
            {
                Require(rule.Name, requirement);
            }

            checks.AddRange(rule.Require.Checks.Select(check => checksOf.Evaluate(rule.Name, check)));
            labels.AddRange(rule.Labels);
            users.AddRange(rule.RequestUsers);
            teams.AddRange(rule.RequestTeams);
        }

        if (approvals.Count > 0 && !rules.Defaults.CommitAuthorsCanApprove && snapshot.IdentityFacts.CommitIdentitiesMatched
            && approvalsOf.UnmatchedCommitIdentities is { Count: > 0 } unmatched)
        {
            notes.Add("commit authors the platform could not match to an account: " + string.Join(", ", unmatched.Select(i => i.Label))
                + "; an approval from anyone who cannot be told apart from them does not count");
        }

        if (approvalsOf.UsesCodeOwners && approvalsOf.CodeOwners is { } codeOwners)
        {
            notes.AddRange(codeOwners.Problems);
        }

        return new Demands(ruleResults, approvals, checks, blocks, labels, users, teams, notes);
    }

    /// <summary>The override with what it lifts and what it cannot (the unmet requirements of rules in <c>never</c>).</summary>
    private static OverrideRecord Lifting(OverrideRecord accepted, OverridePolicy policy, Decision decision)
    {
        var unmet = decision.Blocks.Select(b => (b.Rule, $"blocked: {b.Message}"))
            .Concat(decision.Approvals.Where(a => !a.Satisfied).Select(a => (a.Rule, a.Vetoed ? $"changes requested ({a.From})" : $"{Plural(a.Missing, "approval")} from {a.From}")))
            .Concat(decision.Checks.Where(c => c.State != CheckRequirementState.Passed).Select(c => (c.Rule, $"check {c.Label} {c.State.ToString().ToLowerInvariant()}")))
            .ToList();
        var record = accepted with { Never = policy.Never };
        return record with
        {
            Lifted = [.. unmet.Where(u => record.Lifts(u.Rule)).Select(u => $"{u.Rule}: {u.Item2}")],
            Kept = [.. unmet.Where(u => !record.Lifts(u.Rule)).Select(u => $"{u.Rule}: {u.Item2}")],
        };
    }

    /// <summary>What a rule that is not enforced would hold the change for, one line each (none when it would pass).</summary>
    private static List<string> Unmet(PolicyRule rule, ApprovalEvaluator approvalsOf, CheckRequirementEvaluator checksOf)
    {
        var lines = new List<string>();
        if (rule.Block is { } message)
        {
            lines.Add("blocked: " + message);
        }

        lines.AddRange(rule.Require.Approvals
            .SelectMany(requirement => approvalsOf.EvaluateAll(rule.Name, requirement))
            .Where(a => !a.Satisfied)
            .Select(a => $"{a.Approved} of {a.Required} approval(s) from {a.From}" + (a.Vetoed ? ", vetoed" : "")));
        lines.AddRange(rule.Require.Checks
            .Select(check => checksOf.Evaluate(rule.Name, check))
            .Where(c => c.State != CheckRequirementState.Passed)
            .Select(c => $"check {c.Label}: {DecisionRenderer.Name(c.State)}"));
        return lines;
    }

    /// <summary>The decision when the rules file itself is invalid: fail, carrying every positioned error.</summary>
    public static Decision Invalid(string path, IReadOnlyList<RulesError> errors)
        => Finish(new Decision { State = DecisionState.Fail, Title = "", Summary = "", RulesPath = path, Errors = errors });

    /// <summary>The decision when there are no rules anywhere: nothing is enforced (the check is neutral).</summary>
    public static Decision NoRules(IReadOnlyList<string>? notes = null)
        => Finish(new Decision { State = DecisionState.Pass, Title = "", Summary = "", RulesPath = null, Notes = notes ?? [] });

    /// <summary>Recomputes state, title and summary (after adding head-rules errors, notes, ...).</summary>
    public static Decision Finish(Decision decision)
    {
        var state = StateOf(decision);
        var withState = decision with { State = state, Title = TitleOf(decision, state) };
        return withState with { Summary = DecisionRenderer.Markdown(withState) };
    }

    private static DecisionState StateOf(Decision d)
    {
        // An override lifts the requirements of every rule but those in overrides.never; rules-file errors always stand.
        bool Stands(string rule) => d.Override is not { } lift || !lift.Lifts(rule);
        var blocks = d.Blocks.Where(b => Stands(b.Rule));
        var approvals = d.Approvals.Where(a => Stands(a.Rule)).ToList();
        var checks = d.Checks.Where(c => Stands(c.Rule)).ToList();
        if (d.Errors.Count > 0 || d.HeadRulesErrors.Count > 0 || blocks.Any()
            || approvals.Any(a => a.Vetoed) || checks.Any(c => c.State == CheckRequirementState.Failed))
        {
            return DecisionState.Fail;
        }

        return approvals.Any(a => a.Missing > 0) || checks.Any(c => c.State != CheckRequirementState.Passed)
            ? DecisionState.Pending
            : DecisionState.Pass;
    }

    private static string TitleOf(Decision d, DecisionState state)
    {
        if (d.Errors.Count > 0)
        {
            return $"Invalid rules: {Plural(d.Errors.Count, "error")} in {d.RulesPath ?? d.Errors[0].File}";
        }

        if (d.NoRules)
        {
            return "No ReviewBot rules in this repository: nothing enforced";
        }

        if (d.Override is { } lift && state == DecisionState.Pass)
        {
            return OneLine($"Overridden by {lift.By}" + (lift.Reason.Length > 0 ? ": " + lift.Reason : ""));
        }

        if (d.Blocks.Count > 0)
        {
            return OneLine("Blocked: " + d.Blocks[0].Message + (d.Blocks.Count > 1 ? $" (and {d.Blocks.Count - 1} more)" : ""));
        }

        var vetoes = d.Approvals.SelectMany(a => a.Reviewers).Where(r => r.Verdict == ReviewerVerdict.Veto).Select(r => r.Reviewer);
        if (vetoes.Any())
        {
            return "Changes requested by " + string.Join(", ", Distinct(vetoes));
        }

        var failed = d.Checks.Where(c => c.State == CheckRequirementState.Failed).Select(c => c.Label);
        if (failed.Any())
        {
            return "Required check failed: " + string.Join(", ", Distinct(failed));
        }

        if (d.HeadRulesErrors.Count > 0)
        {
            return $"This change makes the rules invalid: {Plural(d.HeadRulesErrors.Count, "error")} in {d.HeadRulesErrors[0].File}";
        }

        if (state == DecisionState.Pending)
        {
            var parts = d.Approvals.Where(a => a.Missing > 0)
                .GroupBy(a => a.From, StringComparer.OrdinalIgnoreCase)
                .Select(g => $"{Plural(g.Max(a => a.Missing), "approval")} from {g.Key}")
                .ToList();
            var waiting = Distinct(d.Checks.Where(c => c.State != CheckRequirementState.Passed).Select(c => c.Label));
            var text = parts.Count > 0 ? "Needs " + string.Join("; ", parts) : "";
            if (waiting.Count > 0)
            {
                text += (text.Length > 0 ? "; waiting for checks: " : "Waiting for checks: ") + string.Join(", ", waiting);
            }

            return OneLine(text);
        }

        var enforced = d.Rules.Where(r => r.Mode == RuleMode.Enforce).ToList();
        var applied = enforced.Count(r => r.Applied);
        return applied == 0 ? "No rule applies to this change" : $"All requirements met ({applied} of {Plural(enforced.Count, "rule")} applied)";
    }

    private static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    private static string OneLine(string text)
    {
        var line = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= 200 ? line : line[..197] + "...";
    }

    private static List<string> Distinct(IEnumerable<string> values)
        => values.Where(v => !string.IsNullOrWhiteSpace(v)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
}
