using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Authorship;

/// <summary>Classifies commits and pull requests as human, ai-assisted, ai-authored or automation.</summary>
public sealed class AuthorshipClassifier
{
    public AuthorshipClassifier(AgentCatalogExtension? extension = null)
    {
        _ = extension;
    }

    public AuthorshipVerdict Classify(PullRequestSnapshot snapshot)
        => throw new NotImplementedException("contract placeholder: implemented by the authorship work");

    public CommitAuthorship ClassifyCommit(Commit commit)
        => throw new NotImplementedException("contract placeholder: implemented by the authorship work");
}
