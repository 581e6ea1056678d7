using ReviewBot.Core.Pipeline;
using ReviewBot.Core.Ports;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Storage.Processing;

/// <summary>snapshot → outcome (authorship, risk, decision, plan), with the rules the platform serves.</summary>
public interface IReviewEvaluator
{
    Task<ReviewOutcome> EvaluateAsync(PlatformSession session, PullRequestSnapshot snapshot, CancellationToken cancellationToken = default);
}

/// <summary>
/// The production evaluator: rules from the base side (the gate); when the pull request edits that rules file, its
/// head version too, so errors show before merge; then the pure <see cref="ReviewEngine"/>.
/// </summary>
public sealed class EngineReviewEvaluator(ReviewEngine engine) : IReviewEvaluator
{
    public async Task<ReviewOutcome> EvaluateAsync(PlatformSession session, PullRequestSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        var rules = await session.Source.LoadRulesAsync(snapshot, Side.Base, cancellationToken).ConfigureAwait(false);
        RulesSource? headRules = null;
        if (rules is not null && snapshot.Files.Any(f => string.Equals(f.HeadPath, RulesFilePath(rules), StringComparison.Ordinal)))
        {
            headRules = await session.Source.LoadRulesAsync(snapshot, Side.Head, cancellationToken).ConfigureAwait(false);
        }

        return await engine.EvaluateAsync(snapshot, rules, session.Membership, headRules, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The repository path of a rules source ("acme/.github:reviewbot.yml" names another repository: never in this PR).</summary>
    private static string? RulesFilePath(RulesSource rules) => rules.Origin is "base" or "head" ? rules.Path : null;
}
