using ReviewBot.Core.Authorship;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Ports;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Pipeline;

/// <summary>Everything one evaluation produced: the input to enforcement and to the audit log.</summary>
public sealed record ReviewOutcome
{
    public required PullRequestSnapshot Snapshot { get; init; }
    public required AuthorshipVerdict Authorship { get; init; }
    public required RiskReport Risk { get; init; }
    public required Decision Decision { get; init; }
    public required EnforcementPlan Plan { get; init; }

    /// <summary>The escalation clocks this decision leaves running (see <see cref="EscalationPlanner.Waiting"/>); the caller keeps them.</summary>
    public IReadOnlyList<EscalationWait> Escalations { get; init; } = [];

    /// <summary>The rules used: the repository's file, else the built-in policy (null: none, or only the organisation's).</summary>
    public RulesSource? Rules { get; init; }

    /// <summary>The organisation's rules, when there are: they always apply, and <see cref="Rules"/> only adds to them.</summary>
    public RulesSource? OrganisationRules { get; init; }

    /// <summary>The rules as the change leaves them, when they were read (validated only: their errors fail the decision).</summary>
    public RulesSource? HeadRules { get; init; }

    /// <summary>"path@revision" of the rules used, the organisation's first ("org.yml@sha + .github/reviewbot.yml@sha"); null when none.</summary>
    public string? RulesRevisions()
    {
        var used = new[] { OrganisationRules, Rules }.OfType<RulesSource>().Select(r => $"{r.Path}@{r.Revision}").ToList();
        return used.Count == 0 ? null : string.Join(" + ", used);
    }
}

/// <summary>
/// snapshot + rules text + group membership → authorship, risk, decision, enforcement plan.
/// No I/O of its own: contents and membership come through ports.
/// <list type="number">
/// <item>Parse the base rules, combined with the organisation's when there are (<see cref="PolicyLayers"/>: the
/// organisation's always apply, the repository's only add). Errors or refusals → a <c>fail</c> decision carrying every
/// positioned error; no rules → a neutral "no rules" decision (nothing enforced).</item>
/// <item>Classify authorship with the rules' <c>agents:</c> extension; analyse risk with the rules' <c>risk:</c>
/// options (defaults when the rules are missing or invalid, so the output still explains the change).</item>
/// <item>Resolve, once per evaluation, the teams of the groups the rules reference (approval groups and
/// <c>author: {groups}</c> conditions) and inline approval teams; users listed inline need no lookup. When the rules ask
/// for code owners, read CODEOWNERS at the base through <see cref="IRevisionFiles"/> and resolve its teams too.</item>
/// <item>Evaluate, then plan. Rules as the change leaves them (<paramref name="headRules"/> of
/// <see cref="EvaluateAsync"/>) are parsed too; their errors fail the decision so they show before merge.</item>
/// </list>
/// Errors are not swallowed: a failing port (membership, contents), analyzer or condition makes this method
/// throw, and the caller reports an error (never success) — the enforcer's error report, or exit 2
/// in the CLI.
/// </summary>
public sealed class ReviewEngine
{
    private readonly IRiskAnalyzer _riskAnalyzer;
    private readonly PolicyEvaluator _evaluator = new();
    private readonly EnforcementPlanner _planner = new();

    /// <param name="riskAnalyzer">The risk analyzer: <see cref="RoslynRiskAnalyzer"/> in the bot and <c>reviewbot check</c>.</param>
    public ReviewEngine(IRiskAnalyzer riskAnalyzer)
    {
        _riskAnalyzer = riskAnalyzer ?? throw new ArgumentNullException(nameof(riskAnalyzer));
    }

    /// <param name="rules">Rules from the base side: the repository's file, or the built-in policy (origin "built-in");
    /// null when there are none (or only the organisation's).</param>
    /// <param name="headRules">Rules as the PR changes them, when it does: validated so errors show before merge.</param>
    /// <param name="organisationRules">The organisation's rules: always applied; <paramref name="rules"/> may only add to them.</param>
    public Task<ReviewOutcome> EvaluateAsync(
        PullRequestSnapshot snapshot,
        RulesSource? rules,
        IGroupMembership membership,
        RulesSource? headRules = null,
        RulesSource? organisationRules = null,
        IRevisionFiles? repository = null,
        CancellationToken cancellationToken = default)
        => EvaluateAsync(snapshot, rules, membership, headRules, organisationRules, repository, [], cancellationToken);

    /// <param name="escalated">Rules whose escalation clock ran out on this head (from the escalation store): their
    /// groups' reviews are requested and the check says so (<see cref="EscalationPlanner.Escalate"/>).</param>
    public async Task<ReviewOutcome> EvaluateAsync(
        PullRequestSnapshot snapshot,
        RulesSource? rules,
        IGroupMembership membership,
        RulesSource? headRules,
        RulesSource? organisationRules,
        IRevisionFiles? repository,
        IReadOnlyCollection<string> escalated,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(membership);

        var organisation = Parse(organisationRules);
        var gate = organisationRules ?? rules;
        var parsed = Layered(organisation, rules);
        var file = parsed is { IsValid: true } ? parsed.Rules : null;
        AuthorshipVerdict authorship;
        using (ReviewTracing.Phase("reviewbot.classify"))
        {
            authorship = new AuthorshipClassifier(file?.Agents ?? AgentCatalogExtension.Empty).Classify(snapshot);
        }

        RiskReport risk;
        using (ReviewTracing.Phase("reviewbot.analyze"))
        {
            risk = await _riskAnalyzer.AnalyzeAsync(snapshot, file?.Risk ?? RiskOptions.Default, cancellationToken).ConfigureAwait(false);
        }

        using var evaluating = ReviewTracing.Phase("reviewbot.evaluate");
        Decision decision;
        IReadOnlyList<EscalationWait> escalations = [];
        if (gate is null || parsed is null)
        {
            decision = PolicyEvaluator.NoRules();
        }
        else if (file is null)
        {
            // The organisation's own errors first: the repository's file cannot be judged against a broken base.
            decision = PolicyEvaluator.Invalid(organisation is { IsValid: false } ? organisationRules!.Path : (rules ?? gate).Path, parsed.Errors);
        }
        else
        {
            snapshot = await WithCodeOwnersAsync(snapshot, file, repository, cancellationToken).ConfigureAwait(false);
            var codeOwners = snapshot.CodeOwners is { } owners ? CodeOwnersFile.Of(owners) : null;
            var resolved = await ResolveAsync(file, membership, codeOwners, cancellationToken).ConfigureAwait(false);
            decision = _evaluator.Evaluate(file, snapshot, authorship, risk, resolved);
            if (membership.Unreadable is { Count: > 0 } unread && decision.State == DecisionState.Pass)
            {
                decision = decision with
                {
                    State = DecisionState.Pending,
                    Title = "Pending: team membership could not be read",
                    Notes = [.. decision.Notes, .. unread.Select(why => $"{why}: it counts no one, and the check cannot pass while it is unread (it may decide which rules apply)")],
                };
            }

            // The check, the comment and the audit show the risk as the rules saw it: dismissed findings set apart.
            risk = RiskScorer.Dismiss(risk, decision.Dismissals, snapshot.Files, file.Risk);
        }

        var headErrors = HeadErrors(rules, headRules, organisation);
        if (headErrors.Count > 0)
        {
            decision = PolicyEvaluator.Finish(decision with { HeadRulesErrors = headErrors });
        }

        if (file is not null)
        {
            escalations = EscalationPlanner.Waiting(file, decision, snapshot);
            decision = EscalationPlanner.Escalate(decision, escalations, escalated, snapshot);
        }

        return new ReviewOutcome
        {
            Snapshot = snapshot,
            Authorship = authorship,
            Risk = risk,
            Decision = decision,
            Plan = _planner.Plan(snapshot, decision, authorship, risk),
            Escalations = escalations,
            Rules = rules,
            OrganisationRules = organisationRules,
            HeadRules = headRules,
        };
    }

    /// <summary>
    /// The rules that apply: the organisation's alone, the repository's (or the built-in policy) alone, or both
    /// combined; each rule marked with its layer. Null when there are none.
    /// </summary>
    /// <summary>The organisation's rules and the repository's (or built-in) parsed and layered as a check uses them; null when there are none.</summary>
    public static RulesParseResult? Rules(RulesSource? organisationRules, RulesSource? rules)
        => Layered(Parse(organisationRules), rules);

    private static RulesParseResult? Parse(RulesSource? organisationRules)
        => organisationRules is null ? null : RulesParser.Parse(organisationRules.Text, organisationRules.Path);

    private static RulesParseResult? Layered(RulesParseResult? organisation, RulesSource? rules)
    {
        var layer = rules?.Origin == DefaultPolicy.Origin ? RuleLayer.BuiltIn : RuleLayer.Repository;
        if (organisation is null)
        {
            return rules is null ? null : InLayer(RulesParser.Parse(rules.Text, rules.Path), layer);
        }

        if (!organisation.IsValid || rules is null)
        {
            return InLayer(organisation, RuleLayer.Organisation);
        }

        return PolicyLayers.Parse(organisation.Rules!, rules.Text, rules.Path);
    }

    private static RulesParseResult InLayer(RulesParseResult result, RuleLayer layer)
        => result.IsValid ? result with { Rules = result.Rules!.InLayer(layer) } : result;

    /// <summary>
    /// When the rules ask for code owners, the CODEOWNERS file at the BASE commit (the platform's locations, first that
    /// exists), read through the same port as the rules so a change cannot name its own owners. A failing read propagates.
    /// </summary>
    private static async Task<PullRequestSnapshot> WithCodeOwnersAsync(PullRequestSnapshot snapshot, RulesFile rules, IRevisionFiles? repository, CancellationToken cancellationToken)
    {
        if (snapshot.CodeOwners is not null || repository is null || !GroupReferences.UsesCodeOwners(rules))
        {
            return snapshot;
        }

        var file = await repository.ReadAsync(snapshot.CodeOwnersLocations, snapshot.BaseSha, cancellationToken).ConfigureAwait(false);
        return file is null ? snapshot : snapshot with { CodeOwners = file };
    }

    /// <summary>Resolves each referenced team once (in parallel), the CODEOWNERS file's too; a failing lookup propagates.</summary>
    public static async Task<ResolvedMembership> ResolveAsync(RulesFile rules, IGroupMembership membership, CodeOwnersFile? codeOwners, CancellationToken cancellationToken)
    {
        var teams = GroupReferences.TeamsToResolve(rules, codeOwners);
        var members = await Task.WhenAll(teams.Select(t => membership.GetMembersAsync(t, cancellationToken))).ConfigureAwait(false);
        var map = new Dictionary<string, IReadOnlySet<string>>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < teams.Count; i++)
        {
            map[teams[i]] = new HashSet<string>(members[i], StringComparer.OrdinalIgnoreCase);
        }

        return new ResolvedMembership { Teams = map };
    }

    /// <summary>Errors of the repository's file as the change leaves it, judged under the organisation's when there is a valid one.</summary>
    private static IReadOnlyList<RulesError> HeadErrors(RulesSource? rules, RulesSource? headRules, RulesParseResult? organisation)
    {
        if (headRules is null || (rules is not null && rules.Path == headRules.Path && rules.Text == headRules.Text))
        {
            return [];
        }

        return organisation is { IsValid: true }
            ? PolicyLayers.Parse(organisation.Rules!, headRules.Text, headRules.Path).Errors
            : RulesParser.Parse(headRules.Text, headRules.Path).Errors;
    }
}
