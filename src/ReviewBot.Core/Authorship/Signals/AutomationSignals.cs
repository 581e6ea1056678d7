using ReviewBot.Core.Authorship.Catalog;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Authorship.Signals;

/// <summary>
/// Non-AI automation beyond the catalog's known bots: bot accounts the catalog does not know (a
/// <c>[bot]</c> login, a platform bot flag, a <c>…[bot]@users.noreply.github.com</c> address) and
/// Dependabot's <c>Signed-off-by</c>. An unknown bot is automation unless an AI marker is present; a
/// human-used platform identity (<c>GitHub &lt;noreply@github.com&gt;</c>, the web editor and squash merges)
/// is neither and yields nothing.
/// </summary>
public sealed class AutomationSignals : ISignalFamily
{
    private const string UnknownBotNote = "a bot the catalog does not know: automation unless an AI marker is present (list it in the rules file)";

    public IEnumerable<Evidence> InPullRequest(PullRequestSnapshot pullRequest, SignalContext context)
    {
        var author = pullRequest.Author;
        if (IsUnknownBot(author, context))
        {
            yield return Unknown(Where.PrAuthor, author.Display, forgeable: context.Platform == Platform.Local);
        }
    }

    public IEnumerable<Evidence> InCommit(Commit commit, SignalContext context)
    {
        if (IsUnknownBot(commit.Author, context))
        {
            yield return Unknown(Where.InCommit(commit, "author"), Where.Identity(commit.Author), forgeable: true);
        }

        foreach (var trailer in commit.Trailers)
        {
            if (trailer.Key.Equals("Signed-off-by", StringComparison.OrdinalIgnoreCase)
                && TrailerIdentity.Parse(trailer.Value) is var signer
                && context.Identities.MatchEmail(signer.Email) is { Identity.IsAutomation: true } bot)
            {
                yield return IdentitySignals.Make(bot, "signed-off-by", Where.InCommit(commit, "trailer"), trailer.ToString(),
                    SignalStrength.Medium, AuthorshipKind.Automation, forgeable: true);
            }
        }
    }

    private static bool IsUnknownBot(Person person, SignalContext context)
    {
        var looksBot = person.IsBot
            || (person.Login?.EndsWith("[bot]", StringComparison.OrdinalIgnoreCase) ?? false)
            || (NoreplyAddress.TryParse(person.Email, out var noreply) && noreply.IsBot);
        return looksBot && context.Identities.MatchAccount(person, context.Platform) is null;
    }

    private static Evidence Unknown(string location, string matched, bool forgeable) => new()
    {
        Signal = "unknown-bot.identity",
        Agent = AgentIds.UnknownBot,
        Location = location,
        Matched = Where.Excerpt(matched),
        Strength = SignalStrength.Medium,
        Implies = AuthorshipKind.Automation,
        Forgeable = forgeable,
        Note = UnknownBotNote,
    };
}
