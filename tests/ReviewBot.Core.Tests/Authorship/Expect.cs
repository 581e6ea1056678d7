using ReviewBot.Core.Authorship;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Tests.Authorship;

internal static class Expect
{
    public static string Name(AuthorshipKind kind) => kind switch
    {
        AuthorshipKind.Automation => "automation",
        AuthorshipKind.Human => "human",
        AuthorshipKind.AiAssisted => "ai-assisted",
        _ => "ai-authored",
    };

    public static CommitAuthorship Commit<T>(Case<T> row, Commit commit, AgentCatalogExtension? extension = null)
    {
        var verdict = new AuthorshipClassifier(extension).ClassifyCommit(commit);
        Check(row, Name(verdict.Kind), verdict.Agents, verdict.Evidence, verdict.Confidence, verdict.Initiator, verdict.Reason);
        return verdict;
    }

    public static AuthorshipVerdict Pr<T>(Case<T> row, PullRequestSnapshot snapshot, AgentCatalogExtension? extension = null)
    {
        var verdict = new AuthorshipClassifier(extension).Classify(snapshot);
        Check(row, Name(verdict.Kind), verdict.Agents, verdict.Evidence, verdict.Confidence, verdict.Initiator, verdict.Reason);
        return verdict;
    }

    private static void Check<T>(Case<T> row, string kind, IReadOnlyList<string> agents, IReadOnlyList<Evidence> evidence,
        Confidence confidence, string? initiator, string reason)
    {
        var context = $"{row.Name}: {reason}";
        Assert.True(row.Kind == kind, $"{context}\nexpected kind {row.Kind}, got {kind}");
        Assert.True(row.Agents.SequenceEqual(agents), $"{context}\nexpected agents [{string.Join(",", row.Agents)}], got [{string.Join(",", agents)}]");
        if (row.Signal is not null)
        {
            Assert.True(evidence.Any(e => e.Signal == row.Signal),
                $"{context}\nexpected signal {row.Signal}, got [{string.Join(", ", evidence.Select(e => e.Signal))}]");
        }

        if (row.Confidence is not null)
        {
            Assert.True(row.Confidence == confidence.ToString().ToLowerInvariant(), $"{context}\nexpected confidence {row.Confidence}, got {confidence}");
        }

        if (row.Initiator is not null)
        {
            // "-" pins that no initiator is named
            var expected = row.Initiator == "-" ? null : row.Initiator;
            Assert.True(expected == initiator, $"{context}\nexpected initiator {row.Initiator}, got {initiator ?? "(none)"}");
        }

        Assert.False(string.IsNullOrWhiteSpace(reason));
        Assert.StartsWith(kind, reason, StringComparison.Ordinal);
    }
}
