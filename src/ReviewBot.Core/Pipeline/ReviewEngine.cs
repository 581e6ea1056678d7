using ReviewBot.Core.Authorship;
using ReviewBot.Core.Decisions;
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

    /// <summary>The rules used (null: no rules anywhere, nothing enforced).</summary>
    public RulesSource? Rules { get; init; }
}

/// <summary>
/// snapshot + rules text + group membership → authorship, risk, decision, enforcement plan.
/// No I/O of its own: contents and membership come through ports.
/// </summary>
public sealed class ReviewEngine
{
    public ReviewEngine(IRiskAnalyzer riskAnalyzer)
    {
        _ = riskAnalyzer;
    }

    /// <param name="rules">Rules from the base side (the gate); null when the repository has none.</param>
    /// <param name="headRules">Rules as the PR changes them, when it does: validated so errors show before merge.</param>
    public Task<ReviewOutcome> EvaluateAsync(
        PullRequestSnapshot snapshot,
        RulesSource? rules,
        IGroupMembership membership,
        RulesSource? headRules = null,
        CancellationToken cancellationToken = default)
        => throw new NotImplementedException("contract placeholder: implemented by the policy work");
}
