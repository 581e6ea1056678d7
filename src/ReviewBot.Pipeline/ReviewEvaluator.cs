using ReviewBot.Core.Pipeline;
using ReviewBot.Core.Snapshot;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Pipeline.Rules;

namespace ReviewBot.Pipeline;

/// <summary>snapshot → outcome (authorship, risk, decision, plan), with the rules the platform serves.</summary>
public interface IReviewEvaluator
{
    /// <param name="escalated">Rules whose escalation clock ran out on this head (see <see cref="IEscalationStore.FiredAsync"/>).</param>
    Task<ReviewOutcome> EvaluateAsync(PlatformSession session, PullRequestSnapshot snapshot, IReadOnlyCollection<string> escalated, CancellationToken cancellationToken = default);
}

/// <summary>
/// The production evaluator, used by <see cref="ReviewPipeline"/>: the rules the <see cref="RulesLocator"/> finds
/// (the organisation's and the repository's, combined by the engine, and the head's when the pull request edits
/// them, so it sees their errors), then the pure
/// <see cref="ReviewEngine"/>.
/// </summary>
public sealed class EngineReviewEvaluator(ReviewEngine engine) : IReviewEvaluator
{
    public async Task<ReviewOutcome> EvaluateAsync(PlatformSession session, PullRequestSnapshot snapshot, IReadOnlyCollection<string> escalated, CancellationToken cancellationToken = default)
    {
        var rules = await RulesLocator.LocateAsync(snapshot, session.Rules, cancellationToken).ConfigureAwait(false);
        return await engine.EvaluateAsync(snapshot, rules.RepositoryLayer, session.Membership, rules.Head, rules.Organisation, session.Rules.Repository, escalated, cancellationToken).ConfigureAwait(false);
    }
}
