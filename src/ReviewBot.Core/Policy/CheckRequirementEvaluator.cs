using ReviewBot.Core.Decisions;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Policy;

/// <summary>
/// Judges required checks against the check runs and commit statuses of the head commit.
/// <para>A pattern is a check name or a glob (<c>*</c> any run of characters, <c>/</c> included; <c>?</c> one
/// character), compared case-insensitively. Of several checks with the same name the latest counts
/// (<see cref="CheckResult.UpdatedAt"/>, else the later in the list). A check is <b>passed</b> when completed
/// with success, neutral or skipped; <b>failed</b> when completed with failure, cancelled, timed out, action
/// required or stale; <b>pending</b> while queued or in progress (or completed without a conclusion).
/// A pattern nothing matches is <b>missing</b> (it may not have started yet: the decision waits).
/// A pattern is failed if any check it matches failed, else pending if any is pending, else passed.</para>
/// <para>A pinned requirement (<see cref="CheckRequirement.Pin"/>) looks only at checks from its source — check runs
/// of its GitHub App, or jobs of the merge request's own pipeline — and the latest per name among those; checks of a
/// matching name from anywhere else are <b>ignored</b>, and the reason says so, so a look-alike status can neither
/// satisfy nor fail it.</para>
/// </summary>
internal sealed class CheckRequirementEvaluator(PullRequestSnapshot snapshot)
{
    private readonly IReadOnlyList<CheckResult> _latest = LatestPerName(snapshot.Checks);

    public CheckRequirementResult Evaluate(string rule, CheckRequirement requirement)
    {
        var pattern = requirement.Pattern;
        var named = snapshot.Checks.Where(c => Matches(pattern, c.Name)).ToList();
        var candidates = requirement.Pin is null ? _latest.Where(c => Matches(pattern, c.Name)) : LatestPerName(named.Where(c => Accepts(requirement, c)).ToList());
        var matched = candidates.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList();
        var ignored = requirement.Pin is null ? [] : named.Where(c => !Accepts(requirement, c)).Select(c => $"{Describe(c)} ({SourceOf(c)})").Distinct(StringComparer.Ordinal).ToList();
        var states = matched.Select(c => (Check: c, State: StateOf(c))).ToList();
        var state = states.Count == 0 ? CheckRequirementState.Missing
            : states.Any(s => s.State == CheckRequirementState.Failed) ? CheckRequirementState.Failed
            : states.Any(s => s.State == CheckRequirementState.Pending) ? CheckRequirementState.Pending
            : CheckRequirementState.Passed;
        var missing = requirement switch
        {
            { App: { } app } => $"no check run from the GitHub App '{app}' matching \"{pattern}\" was reported on {snapshot.ShortHeadSha} yet",
            { PipelineJob: true } => $"no job of the merge request's pipeline matching \"{pattern}\" was reported on {snapshot.ShortHeadSha} yet",
            _ => $"no check or status matching \"{pattern}\" was reported on {snapshot.ShortHeadSha} yet",
        };
        var reason = state switch
        {
            CheckRequirementState.Missing => missing,
            CheckRequirementState.Failed => "failed: " + string.Join(", ", states.Where(s => s.State == CheckRequirementState.Failed).Select(s => Describe(s.Check))),
            CheckRequirementState.Pending => "waiting for " + string.Join(", ", states.Where(s => s.State == CheckRequirementState.Pending).Select(s => Describe(s.Check))),
            _ => "passed: " + string.Join(", ", states.Select(s => Describe(s.Check))),
        };
        if (ignored.Count > 0)
        {
            reason += $"; ignored, not from {(requirement.App is { } app ? $"the GitHub App '{app}'" : "the merge request's pipeline")}: {string.Join(", ", ignored)}";
        }

        return new CheckRequirementResult
        {
            Rule = rule,
            Pattern = pattern,
            Pin = requirement.Pin,
            State = state,
            Matched = states.Select(s => Describe(s.Check)).ToList(),
            Ignored = ignored,
            Reason = reason,
        };
    }

    /// <summary>Does a pinned requirement accept this check? Check runs of its App (slugs compare case-insensitively), or jobs of the merge request's pipeline; never a commit status.</summary>
    private static bool Accepts(CheckRequirement requirement, CheckResult check) => requirement switch
    {
        { App: { } app } => check.Origin == CheckOrigin.CheckRun && string.Equals(check.Source, app, StringComparison.OrdinalIgnoreCase),
        { PipelineJob: true } => check.Origin == CheckOrigin.PipelineJob,
        _ => true,
    };

    /// <summary>Who reported a check, in the words of the check output: "commit status", "check run by app other-ci".</summary>
    private static string SourceOf(CheckResult check) => check.Origin switch
    {
        CheckOrigin.CheckRun => check.Source is { } slug ? $"check run by app {slug}" : "check run by an unknown app",
        CheckOrigin.CommitStatus => "commit status",
        CheckOrigin.PipelineJob => "pipeline job",
        CheckOrigin.Pipeline => "pipeline",
        _ => "unknown source",
    };

    public static CheckRequirementState StateOf(CheckResult check) => check switch
    {
        { Status: not CheckStatus.Completed } or { Conclusion: null } => CheckRequirementState.Pending,
        { Conclusion: CheckConclusion.Success or CheckConclusion.Neutral or CheckConclusion.Skipped } => CheckRequirementState.Passed,
        _ => CheckRequirementState.Failed,
    };

    /// <summary>"build: success", "test: in progress".</summary>
    public static string Describe(CheckResult check) => check.Name + ": " + (check.Status switch
    {
        CheckStatus.Queued => "queued",
        CheckStatus.InProgress => "in progress",
        _ => check.Conclusion switch
        {
            null => "completed without a conclusion",
            CheckConclusion.TimedOut => "timed out",
            CheckConclusion.ActionRequired => "action required",
            { } c => c.ToString().ToLowerInvariant(),
        },
    });

    /// <summary>Case-insensitive glob: <c>*</c> matches any run of characters (slashes included), <c>?</c> one.</summary>
    public static bool Matches(string pattern, string name)
    {
        int p = 0, n = 0, star = -1, mark = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(name[n])))
            {
                p++;
                n++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = n;
            }
            else if (star >= 0)
            {
                p = star + 1;
                n = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static List<CheckResult> LatestPerName(IReadOnlyList<CheckResult> checks)
    {
        var latest = new Dictionary<string, CheckResult>(StringComparer.OrdinalIgnoreCase);
        foreach (var check in checks)
        {
            if (!latest.TryGetValue(check.Name, out var seen)
                || seen.UpdatedAt is null || check.UpdatedAt is null || check.UpdatedAt >= seen.UpdatedAt)
            {
                latest[check.Name] = check;
            }
        }

        return [.. latest.Values];
    }
}
