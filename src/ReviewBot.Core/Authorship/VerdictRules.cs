using static ReviewBot.Core.Authorship.AuthorshipKind;

namespace ReviewBot.Core.Authorship;

/// <summary>
/// How evidence becomes a kind and a confidence (documented in docs/authorship.md):
/// AI evidence beats automation, automation beats nothing; weak signals alone give at most ai-assisted
/// with low confidence; a naming convention (branch, label, title) argues for ai-authored only when
/// another signal of the same agent agrees; forgeable text alone never gives high confidence.
/// </summary>
internal static class VerdictRules
{
    public static bool IsAi(Evidence e) => e.Implies >= AiAssisted;

    /// <summary>What one piece of evidence really argues for, given everything else that was found.</summary>
    public static AuthorshipKind EffectiveKind(Evidence evidence, IReadOnlyList<Evidence> pool)
    {
        if (evidence.Implies != AiAuthored)
        {
            return evidence.Implies;
        }

        if (evidence.Strength == SignalStrength.Weak)
        {
            return AiAssisted;
        }

        return evidence.NeedsCorroboration && !pool.Any(other => Corroborates(other, evidence)) ? AiAssisted : AiAuthored;
    }

    private static bool Corroborates(Evidence other, Evidence evidence)
        => !ReferenceEquals(other, evidence) && IsAi(other) && other.Signal != evidence.Signal
            && (other.Agent is null || evidence.Agent is null || other.Agent == evidence.Agent);

    /// <summary>The most AI-involved kind the evidence supports; null when nothing but ignored evidence was found.</summary>
    public static AuthorshipKind? KindOf(IReadOnlyList<Evidence> evidence, IReadOnlyList<Evidence> pool)
    {
        var kinds = evidence.Select(e => EffectiveKind(e, pool)).Where(k => k != Human).ToList();
        return kinds.Count == 0 ? null : kinds.Max();
    }

    /// <summary>The evidence that supports <paramref name="kind"/>, strongest first (platform facts before text).</summary>
    public static IReadOnlyList<Evidence> Supporting(AuthorshipKind kind, IReadOnlyList<Evidence> evidence, IReadOnlyList<Evidence> pool)
        => kind == Human ? [] : [.. evidence
            .Where(e => EffectiveKind(e, pool) == kind)
            .OrderByDescending(e => EffectiveKind(e, pool) == e.Implies)
            .ThenByDescending(e => e.Strength)
            .ThenBy(e => e.Forgeable)];

    /// <summary>
    /// High: a strong platform-controlled fact, or two strong independent signals. Medium: a strong or
    /// medium signal. Low: weak signals only. "Human" is never more than medium: no evidence is not proof,
    /// attribution can be turned off. Evidence that was capped (weak, or a convention nobody corroborated)
    /// does not count towards medium or high.
    /// </summary>
    public static Confidence ConfidenceOf(AuthorshipKind kind, IReadOnlyList<Evidence> supporting, IReadOnlyList<Evidence> pool)
    {
        if (kind == Human)
        {
            return Confidence.Medium;
        }

        var counted = supporting.Where(e => EffectiveKind(e, pool) == e.Implies).ToList();
        var strong = counted.Where(e => e.Strength == SignalStrength.Strong).ToList();
        if (strong.Any(e => !e.Forgeable) || strong.Select(e => e.Signal).Distinct().Count() >= 2)
        {
            return Confidence.High;
        }

        return counted.Any(e => e.Strength >= SignalStrength.Medium) ? Confidence.Medium : Confidence.Low;
    }

    /// <summary>
    /// Agents named by the AI evidence. When medium or strong evidence that was not capped exists, weak or
    /// uncorroborated evidence does not add agents (a model-written trailer may name the wrong tool; a
    /// <c>codex/</c> branch name alone does not make Codex an author of a Copilot PR).
    /// </summary>
    public static IReadOnlyList<string> AgentsOf(IReadOnlyList<Evidence> evidence, IReadOnlyList<Evidence> pool)
    {
        var ai = evidence.Where(e => EffectiveKind(e, pool) >= AiAssisted).ToList();
        var trusted = ai.Where(e => e.Strength >= SignalStrength.Medium && EffectiveKind(e, pool) == e.Implies).ToList();
        return [.. (trusted.Count > 0 ? trusted : ai)
            .Select(e => e.Agent)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }

    public static string Describe(Evidence e) => $"{e.Signal} at {e.Location} ({e.Matched})";

    public static string Name(AuthorshipKind kind) => kind switch
    {
        Automation => "automation",
        Human => "human",
        AiAssisted => "ai-assisted",
        _ => "ai-authored",
    };

    public static string Name(Confidence confidence) => confidence.ToString().ToLowerInvariant();
}
