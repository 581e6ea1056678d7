using ReviewBot.Core.Pipeline;
using ReviewBot.Core.Snapshot;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.Pipeline;

/// <summary>snapshot → outcome (authorship, risk, decision, plan), with the rules the platform serves.</summary>
public interface IReviewEvaluator
{
    Task<ReviewOutcome> EvaluateAsync(PlatformSession session, PullRequestSnapshot snapshot, CancellationToken cancellationToken = default);
}

/// <summary>
/// The production evaluator, used by <see cref="ReviewPipeline"/>: the rules of the base
/// side (the gate) and of the head side (so a pull request that edits them sees their errors), then the pure
/// <see cref="ReviewEngine"/>.
/// </summary>
public sealed class EngineReviewEvaluator(ReviewEngine engine) : IReviewEvaluator
{
    public async Task<ReviewOutcome> EvaluateAsync(PlatformSession session, PullRequestSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        var rules = await session.Source.LoadRulesAsync(snapshot, Side.Base, cancellationToken).ConfigureAwait(false);
        var headRules = await session.Source.LoadRulesAsync(snapshot, Side.Head, cancellationToken).ConfigureAwait(false);
        return await engine.EvaluateAsync(snapshot, rules, session.Membership, headRules, cancellationToken).ConfigureAwait(false);
    }
}
