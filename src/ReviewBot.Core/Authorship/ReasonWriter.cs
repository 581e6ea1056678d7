using static ReviewBot.Core.Authorship.VerdictRules;

namespace ReviewBot.Core.Authorship;

/// <summary>The one-sentence reasons of commit and PR verdicts.</summary>
internal static class ReasonWriter
{
    private const string NoEvidence = "attribution can be turned off, so this means no evidence, not proof";

    public static string ForCommit(AuthorshipKind kind, Confidence confidence, IReadOnlyList<string> agents, string? initiator,
        IReadOnlyList<Evidence> supporting, IReadOnlyList<Evidence> evidence)
        => kind == AuthorshipKind.Human
            ? $"human: no AI or automation evidence in this commit{Ignored(evidence)} ({NoEvidence})."
            : $"{Head(kind, confidence, agents)}: {Strongest(supporting)}{Dispatched(initiator)}.";

    public static string ForPullRequest(AuthorshipKind kind, Confidence confidence, IReadOnlyList<string> agents, IReadOnlyList<InitiatorClaim> initiators,
        IReadOnlyList<Evidence> supporting, IReadOnlyList<Evidence> evidence, IReadOnlyList<CommitAuthorship> commits)
    {
        if (kind == AuthorshipKind.Human)
        {
            var bots = evidence.Where(e => e.Implies == AuthorshipKind.Automation).Select(e => e.Agent).OfType<string>().Distinct().Order().ToList();
            return bots.Count == 0
                ? $"human: no AI or automation evidence in the pull request or its {Count(commits.Count, "commit")}{Ignored(evidence)} ({NoEvidence})."
                : $"human: no AI evidence; automation ({string.Join(", ", bots)}) made only part of it, "
                    + $"{commits.Count(c => c.Kind == AuthorshipKind.Human)} of {Count(commits.Count, "commit")} are human{Ignored(evidence)} ({NoEvidence}).";
        }

        var ai = commits.Count(c => c.Kind >= AuthorshipKind.AiAssisted);
        var share = commits.Count == 0 ? ""
            : kind == AuthorshipKind.Automation ? $"; {(commits.Count == 1 ? "its commit is" : $"all {commits.Count} commits are")} automation"
            : $"; AI in {ai} of {Count(commits.Count, "commit")}";
        return $"{Head(kind, confidence, agents)}: {Strongest(supporting)}{share}{Dispatched(initiators)}.";
    }

    private static string Head(AuthorshipKind kind, Confidence confidence, IReadOnlyList<string> agents)
    {
        var by = agents.Count > 0 ? $" by {string.Join(", ", agents)}" : "";
        var weakOnly = confidence == Confidence.Low && kind == AuthorshipKind.AiAssisted ? ", weak or uncorroborated signals only" : "";
        return $"{Name(kind)}{by} ({Name(confidence)} confidence{weakOnly})";
    }

    private static string Strongest(IReadOnlyList<Evidence> supporting)
        => supporting.Count == 0 ? "no supporting evidence" : "strongest evidence " + Describe(supporting[0])
            + (supporting.Count > 1 ? $" and {Count(supporting.Count - 1, "more signal")}" : "");

    private static string Dispatched(string? initiator) => initiator is null ? "" : $"; dispatched by {initiator}";

    /// <summary>The first claim, how far it can be trusted, and how many more people are kept from approving.</summary>
    private static string Dispatched(IReadOnlyList<InitiatorClaim> initiators)
    {
        if (initiators.Count == 0)
        {
            return "";
        }

        var trust = initiators[0].Source switch
        {
            InitiatorSource.Text => " (known only from text the author can edit: low confidence)",
            InitiatorSource.Commit => " (from a git identity)",
            _ => "",
        };
        var more = initiators.Count > 1 ? $"; {initiators.Count - 1} more named as initiator" : "";
        return Dispatched(initiators[0].Identity) + trust + more;
    }

    private static string Ignored(IReadOnlyList<Evidence> evidence)
    {
        var ignored = evidence.Where(e => e.Implies == AuthorshipKind.Human).Select(e => $"{e.Signal} at {e.Location}").Distinct().ToList();
        return ignored.Count == 0 ? "" : $" (ignored: {string.Join(", ", ignored)})";
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
