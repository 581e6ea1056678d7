using ReviewBot.Core.Authorship.Signals;
using ReviewBot.Core.Snapshot;
using static ReviewBot.Core.Authorship.VerdictRules;

namespace ReviewBot.Core.Authorship;

/// <summary>
/// Classifies commits and pull requests as human, ai-assisted, ai-authored or automation, naming the
/// agents, the dispatching human where it can be known, and every signal that matched. Pure and
/// deterministic: the same snapshot always gives the same verdict.
/// </summary>
public sealed class AuthorshipClassifier
{
    private readonly AgentCatalogExtension _extension;
    private readonly SignalContext _commitOnlyContext;

    /// <summary>The built-in signal families, one per file under <c>Signals/</c>.</summary>
    public static IReadOnlyList<ISignalFamily> Families { get; } =
    [
        new IdentitySignals(),
        new AutomationSignals(),
        new CoAuthorTrailerSignals(),
        new SessionTrailerSignals(),
        new CommitMessageSignals(),
        new BranchPrefixSignals(),
        new PullRequestBodySignals(),
        new LabelSignals(),
    ];

    public AuthorshipClassifier(AgentCatalogExtension? extension = null)
    {
        _extension = Normalise(extension ?? AgentCatalogExtension.Empty);
        _commitOnlyContext = SignalContext.For(_extension);
    }

    /// <summary>Trimmed, blank entries dropped, duplicates removed: a stray empty list item must not match everything.</summary>
    private static AgentCatalogExtension Normalise(AgentCatalogExtension e)
    {
        static IReadOnlyList<string> Clean(IReadOnlyList<string> values)
            => [.. values.Select(v => v.Trim()).Where(v => v.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];

        return new AgentCatalogExtension
        {
            Logins = Clean(e.Logins),
            Emails = Clean(e.Emails),
            Trailers = [.. Clean(e.Trailers).Where(t => t.Split(':', 2)[0].Trim().Length > 0)],
            BranchPrefixes = Clean(e.BranchPrefixes),
            Labels = Clean(e.Labels),
            AutomationLogins = Clean(e.AutomationLogins),
            AutomationEmails = Clean(e.AutomationEmails),
        };
    }

    public AuthorshipVerdict Classify(PullRequestSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var context = _commitOnlyContext with { Facts = snapshot.IdentityFacts };

        var prEvidence = Families.SelectMany(f => f.InPullRequest(snapshot, context)).ToList();
        var commits = snapshot.Commits.Select(c => ClassifyCommit(c, context, prEvidence)).ToList();
        var evidence = prEvidence.Concat(commits.SelectMany(c => c.Evidence)).ToList();

        var authorKnown = snapshot.Author.Login is not null || snapshot.Author.Email is not null || snapshot.Author.Name is not null;
        var metadataKind = KindOf(prEvidence, evidence) ?? (authorKnown ? AuthorshipKind.Human : null);
        var parts = commits.Select(c => c.Kind).Concat(metadataKind is { } m ? [m] : []).ToList();
        var kind = parts.Count == 0 ? AuthorshipKind.Human : parts.Max();

        var supporting = Supporting(kind, evidence, evidence);
        var confidence = ConfidenceOf(kind, supporting, evidence);
        var agents = kind >= AuthorshipKind.AiAssisted ? AgentsOf(evidence, evidence) : [];
        var metadataIsAi = metadataKind >= AuthorshipKind.AiAssisted;
        var initiators = InitiatorResolver.ForPullRequest(snapshot, kind, metadataIsAi, commits, context);
        var initiator = initiators.Count == 0 ? null : initiators[0].Identity;

        return new AuthorshipVerdict
        {
            Kind = kind,
            Agents = agents,
            Initiator = initiator,
            Initiators = initiators,
            InitiatorConfidence = InitiatorResolver.ConfidenceOf(initiators),
            Confidence = confidence,
            Evidence = evidence,
            Commits = commits,
            Reason = ReasonWriter.ForPullRequest(kind, confidence, agents, initiators, supporting, evidence, commits),
        };
    }

    public CommitAuthorship ClassifyCommit(Commit commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        return ClassifyCommit(commit, _commitOnlyContext, []);
    }

    /// <param name="corroboration">PR-level evidence that may corroborate a naming convention found in the commit.</param>
    private static CommitAuthorship ClassifyCommit(Commit commit, SignalContext context, IReadOnlyList<Evidence> corroboration)
    {
        var evidence = Families.SelectMany(f => f.InCommit(commit, context)).ToList();
        var pool = evidence.Concat(corroboration).ToList();
        var kind = KindOf(evidence, pool) ?? AuthorshipKind.Human;
        var supporting = Supporting(kind, evidence, pool);
        var confidence = ConfidenceOf(kind, supporting, pool);
        var agents = kind >= AuthorshipKind.AiAssisted ? AgentsOf(evidence, pool) : [];
        var initiator = InitiatorResolver.ForCommit(commit, kind, context);

        return new CommitAuthorship
        {
            Sha = commit.Sha,
            Kind = kind,
            Agents = agents,
            Initiator = initiator,
            Confidence = confidence,
            Evidence = evidence,
            Reason = ReasonWriter.ForCommit(kind, confidence, agents, initiator, supporting, evidence),
        };
    }
}
