using ReviewBot.Core.Pipeline;
using ReviewBot.Core.Ports;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Pipeline.Rules;

namespace ReviewBot.Cli.Commands;

/// <summary>What the check of a change decided, and the notes that explain where its rules came from.</summary>
internal sealed record LocalCheckResult(ReviewOutcome Outcome, RulesSource? Rules, IReadOnlyList<string> Notes);

/// <summary>
/// The one check pipeline of the CLI: rules found by the <see cref="RulesLocator"/> (or given), then the engine
/// (classifier, Roslyn analyzer, evaluator). Used by <c>reviewbot check</c> (a local range, or with
/// <c>--github-api</c> the live pull request of the Action) and by the MCP tool <c>plan_change</c>.
/// </summary>
internal static class LocalCheck
{
    public const string NoPlatformNote = "local check: groups count only the users they list (teams are not resolved); there are no reviews or checks, so approvals and checks are pending";

    /// <param name="rulesOverride">Rules to use instead of those the locator finds (<c>--rules FILE</c>).</param>
    /// <param name="membership">The platform's team membership when the snapshot comes from the platform (its reviews and
    /// checks with it); null for a local change (groups count only the users they list, and the summary says so).</param>
    public static async Task<LocalCheckResult> RunAsync(
        PullRequestSnapshot snapshot, RulesLocation location, RulesSource? rulesOverride, CancellationToken cancellationToken, IGroupMembership? membership = null)
    {
        // The organisation's file applies even with --rules FILE (which takes the repository file's place).
        var located = await RulesLocator.LocateAsync(snapshot, location, cancellationToken).ConfigureAwait(false);
        var notes = new List<string>();
        var rules = rulesOverride ?? located.RepositoryLayer;
        var headRules = rulesOverride is null ? located.Head : null;
        if (rulesOverride is null)
        {
            notes.AddRange(Notes(located));
        }

        if (membership is null)
        {
            notes.Add(NoPlatformNote);
        }

        var engine = new ReviewEngine(new RoslynRiskAnalyzer(TimeProvider.System));
        try
        {
            var outcome = await engine.EvaluateAsync(snapshot, rules, membership ?? LocalMembership.Instance, headRules, located.Organisation, location.Repository, cancellationToken).ConfigureAwait(false);
            return new LocalCheckResult(outcome, rules, notes);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Never a decision, never success: the evaluation itself failed (e.g. unreadable contents).
            throw new UsageException($"evaluation failed: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private static IEnumerable<string> Notes(LocatedRules located)
    {
        if (located.BuiltIn is not null)
        {
            yield return $"no rules file at the base ref ({string.Join(", ", RulesLocator.DefaultPaths)}) nor an organisation file: using ReviewBot's built-in default policy (see rules/default.yml)";
        }
        else if (located.Repository is null && located.Organisation is { } org)
        {
            yield return $"no rules file at the base ref: the organisation's rules ({org.Path}) apply alone";
        }
        else if (located.Organisation is { } both)
        {
            yield return $"the organisation's rules ({both.Path}) apply; the repository's ({located.Repository!.Path}) add to them";
        }

        if (located.HeadRemovesRules)
        {
            yield return $"this change removes {located.Repository!.Path}: after it is merged, {(located.Organisation is { } o ? $"the organisation's rules ({o.Path}) apply alone" : "the built-in default policy applies")}";
        }
    }
}
