using System.Globalization;
using System.Text;
using ReviewBot.Core.Authorship;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Pipeline;
using ReviewBot.Core.Ports;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;
using static ReviewBot.Core.Serialization.ReviewBotJson;

namespace ReviewBot.Pipeline.Replay;

/// <summary>A replay cannot run: no recorded evaluation, pruned contents, a team the recording never resolved.</summary>
public sealed class ReplayUnavailableException(string message) : Exception(message);

/// <summary>One aspect on which the replayed decision differs: the items only the recorded side has, and only the replayed one.</summary>
public sealed record ReplayDifference(string Aspect, IReadOnlyList<string> Recorded, IReadOnlyList<string> Replayed);

/// <summary>One requirement of a decision as a line (<see cref="EvaluationReplayer.RequirementLines"/>), with the rule that demands it when one does.</summary>
/// <param name="Kind">"approvals", "check", "blocked", "rules error", "head rules error", "label" or "review request".</param>
public sealed record RequirementLine(string Kind, string? Rule, string Text);

/// <summary>The recomputed outcome of a recorded evaluation and how it differs from the recorded decision.</summary>
public sealed record ReplayResult
{
    public required AuditRecord Record { get; init; }
    public required RecordedEvaluation Evaluation { get; init; }
    public required ReviewOutcome Replayed { get; init; }
    public required IReadOnlyList<ReplayDifference> Differences { get; init; }

    public bool Same => Differences.Count == 0;
}

/// <summary>
/// Re-evaluates a recorded decision offline: the snapshot rebuilt from the record with its contents from the
/// content store, the recorded team memberships, the recorded rules (or others), and Core's
/// <see cref="ReviewEngine"/> — the decision is recomputed, never echoed — then compared with the recorded one on
/// conclusion, requirements, risk findings and authorship.
/// </summary>
public sealed class EvaluationReplayer(ReviewEngine engine, IEvaluationStore store)
{
    /// <param name="rules">Rules to replay with instead of the recorded repository's (null: the recorded rules); the recorded
    /// organisation's rules still apply, combined with them as in the evaluation.</param>
    public async Task<ReplayResult> ReplayAsync(AuditRecord record, RulesSource? rules = null, CancellationToken cancellationToken = default)
    {
        if (record.Error is not null || record.Decision is null)
        {
            throw new ReplayUnavailableException($"audit record {record.Id} holds no decision (the evaluation failed: {record.Error ?? "no outcome"}); there is nothing to replay");
        }

        var evaluation = await store.GetAsync(record.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new ReplayUnavailableException(
                $"audit record {record.Id} has no recorded snapshot: it was written before snapshots were recorded, or by a deployment that does not record them (replay needs the SQLite store)");
        var hashes = evaluation.ContentHashes.ToList();
        var bytes = await store.GetContentsAsync(hashes, cancellationToken).ConfigureAwait(false);
        var missing = hashes.Count(h => !bytes.ContainsKey(h));
        if (missing > 0)
        {
            throw new ReplayUnavailableException(
                $"{missing} of the {hashes.Count} file contents audit record {record.Id} read are no longer stored (pruned after ReviewBot:Storage:ContentRetention); it cannot be replayed");
        }

        var snapshot = Rebuild(evaluation, bytes);
        var outcome = await engine.EvaluateAsync(
            snapshot, rules ?? evaluation.Rules, new RecordedMembership(evaluation), evaluation.HeadRules, evaluation.OrganisationRules, null, cancellationToken).ConfigureAwait(false);
        return new ReplayResult { Record = record, Evaluation = evaluation, Replayed = outcome, Differences = Compare(record, outcome) };
    }

    /// <summary>The snapshot as evaluated: patches restored and the contents served from memory.</summary>
    private static PullRequestSnapshot Rebuild(RecordedEvaluation evaluation, IReadOnlyDictionary<string, byte[]> bytes)
    {
        var snapshot = evaluation.Snapshot;
        var contents = evaluation.Contents.ToDictionary(c => new FileRequest(c.Path, c.Side), c => bytes[c.Sha256]);
        return snapshot with
        {
            Files = [.. snapshot.Files.Select(f => evaluation.Patches.TryGetValue(f.Path, out var hash) ? f with { Patch = Encoding.UTF8.GetString(bytes[hash]) } : f)],
            PatchIds = new Dictionary<string, string>(snapshot.PatchIds, StringComparer.OrdinalIgnoreCase),
            Contents = new InMemoryFileContents(contents),
        };
    }

    /// <summary>The differences between the recorded decision and a recomputed outcome, aspect by aspect.</summary>
    public static IReadOnlyList<ReplayDifference> Compare(AuditRecord record, ReviewOutcome replayed)
        => Compare(record.Decision, record.Risk, record.Authorship, replayed);

    /// <summary>The differences between two outcomes of the same change (e.g. today's rules and proposed ones), aspect by aspect.</summary>
    public static IReadOnlyList<ReplayDifference> Compare(ReviewOutcome before, ReviewOutcome after)
        => Compare(before.Decision, before.Risk, before.Authorship, after);

    private static List<ReplayDifference> Compare(Decision? decision, RiskReport? risk, AuthorshipVerdict? authorship, ReviewOutcome replayed)
    {
        var differences = new List<ReplayDifference>();
        void Add(string aspect, IEnumerable<string> recorded, IEnumerable<string> now)
        {
            var before = recorded.ToList();
            var after = now.ToList();
            var onlyBefore = Without(before, after);
            var onlyAfter = Without(after, before);
            if (onlyBefore.Count > 0 || onlyAfter.Count > 0)
            {
                differences.Add(new ReplayDifference(aspect, onlyBefore, onlyAfter));
            }
        }

        Add("conclusion", [Name(decision?.State)], [Name(replayed.Decision.State)]);
        Add("requirements", Requirements(decision), Requirements(replayed.Decision));
        Add("risk", RiskLines(risk), RiskLines(replayed.Risk));
        Add("authorship", AuthorshipLines(authorship), AuthorshipLines(replayed.Authorship));
        return differences;
    }

    /// <summary>Items of <paramref name="items"/> not matched one-for-one in <paramref name="other"/> (a multiset difference).</summary>
    public static List<string> Without(IReadOnlyList<string> items, IReadOnlyList<string> other)
    {
        var left = other.GroupBy(s => s, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var item in items)
        {
            if (left.TryGetValue(item, out var n) && n > 0)
            {
                left[item] = n - 1;
            }
            else
            {
                result.Add(item);
            }
        }

        return result;
    }

    private static IEnumerable<string> Requirements(Decision? d) => d is null ? [] : RequirementLines(d).Select(r => r.Text);

    /// <summary>What a decision demands, one line per requirement, each with the rule that demands it (null for labels, review requests and rules errors).</summary>
    public static IEnumerable<RequirementLine> RequirementLines(Decision d)
    {
        foreach (var a in d.Approvals)
        {
            yield return new("approvals", a.Rule, $"approvals {a.Rule}: {a.Approved}/{a.Required} from {a.From}{(a.Vetoed ? ", vetoed" : "")}");
        }

        foreach (var c in d.Checks)
        {
            yield return new("check", c.Rule, $"check {c.Rule}: {c.Label} {Name(c.State)}");
        }

        foreach (var b in d.Blocks)
        {
            yield return new("blocked", b.Rule, $"blocked {b.Rule}: {b.Message}");
        }

        foreach (var e in d.Errors)
        {
            yield return new("rules error", null, $"rules error {e}");
        }

        foreach (var e in d.HeadRulesErrors)
        {
            yield return new("head rules error", null, $"head rules error {e}");
        }

        foreach (var label in d.Labels)
        {
            yield return new("label", null, $"label {label}");
        }

        foreach (var reviewer in d.ReviewersToRequest)
        {
            yield return new("review request", null, $"request review from {reviewer}");
        }

        foreach (var team in d.TeamsToRequest)
        {
            yield return new("review request", null, $"request review from team {team}");
        }
    }

    private static IEnumerable<string> RiskLines(RiskReport? risk)
    {
        if (risk is null)
        {
            yield break;
        }

        yield return $"level {Name(risk.Level)}";
        foreach (var f in risk.Findings)
        {
            yield return $"{f.RuleId} {Name(f.Severity)} {f.Path}:{f.StartLine.ToString(CultureInfo.InvariantCulture)}: {f.Title}";
        }
    }

    private static IEnumerable<string> AuthorshipLines(AuthorshipVerdict? a)
    {
        if (a is null)
        {
            yield break;
        }

        yield return $"kind {Name(a.Kind)} ({Name(a.Confidence)} confidence)";
        foreach (var agent in a.Agents)
        {
            yield return $"agent {agent}";
        }

        if (a.Initiator is not null)
        {
            yield return $"initiator {a.Initiator}";
        }
    }

    /// <summary>Answers with the memberships the evaluation resolved; a team it never resolved cannot be asked offline.</summary>
    private sealed class RecordedMembership(RecordedEvaluation evaluation) : IGroupMembership
    {
        private readonly Dictionary<string, IReadOnlyList<string>> _teams = new(evaluation.Teams, StringComparer.OrdinalIgnoreCase);

        public Task<IReadOnlyCollection<string>> GetMembersAsync(string team, CancellationToken cancellationToken = default)
            => _teams.TryGetValue(team, out var members)
                ? Task.FromResult<IReadOnlyCollection<string>>(members)
                : throw new ReplayUnavailableException(
                    $"the rules reference team '{team}', which the recorded evaluation never resolved; a replay cannot ask the platform");
    }
}
