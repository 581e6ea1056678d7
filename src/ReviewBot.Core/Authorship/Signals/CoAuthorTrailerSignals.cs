using ReviewBot.Core.Authorship.Catalog;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Authorship.Signals;

/// <summary>
/// <c>Co-authored-by:</c> trailers naming an agent identity (by exact email or noreply numeric id — a
/// "Copilot" display name with another address is not Copilot). Trailers are plain text, so these are at
/// most medium. Model-invented trailers at placeholder addresses (example.com) are weak.
/// </summary>
public sealed class CoAuthorTrailerSignals : ISignalFamily
{
    public IEnumerable<Evidence> InCommit(Commit commit, SignalContext context)
    {
        foreach (var (trailer, identity) in TrailerIdentity.CoAuthors(commit))
        {
            var location = Where.InCommit(commit, "trailer");
            if (context.Identities.MatchEmail(identity.Email) is { } match)
            {
                // A bot co-author that is not an AI (github-actions, dependabot) says nothing about authorship.
                if (match.Identity.IsAutomation)
                {
                    continue;
                }

                yield return IdentitySignals.Make(match, "co-author-trailer", location, trailer.ToString(),
                    Weakest(match.Identity.GitStrength, SignalStrength.Medium), match.Identity.AsCoAuthor, forgeable: true,
                    note: "co-author trailers are plain text: " + (match.Identity.Note ?? "any tool or person can write one"));
            }
            else if (identity.HasPlaceholderAddress && AgentNames.Find(identity.Name) is { } agent)
            {
                yield return new Evidence
                {
                    Signal = "model-written.co-author-trailer",
                    Agent = agent,
                    Location = location,
                    Matched = Where.Excerpt(trailer.ToString()),
                    Strength = SignalStrength.Weak,
                    Implies = AuthorshipKind.AiAssisted,
                    Forgeable = true,
                    Note = "an AI co-author at a placeholder address: model-written attribution, the named agent may be wrong",
                };
            }
        }
    }

    private static SignalStrength Weakest(SignalStrength a, SignalStrength b) => a < b ? a : b;
}
