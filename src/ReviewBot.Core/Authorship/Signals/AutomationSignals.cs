using ReviewBot.Core.Authorship.Catalog;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Authorship.Signals;

/// <summary>
/// Non-AI automation beyond the catalog's known bots: bot accounts the catalog does not know (a
/// <c>[bot]</c> login, a platform bot flag, a <c>…[bot]@users.noreply.github.com</c> address), identities whose
/// text says automation (<see cref="AutomationText"/>: an organisation's <c>release-bot &lt;bot@example.org&gt;</c>)
/// and Dependabot's <c>Signed-off-by</c>. Both are automation unless an AI marker is present — any AI evidence
/// outranks them; a human-used platform identity (<c>GitHub &lt;noreply@github.com&gt;</c>, the web editor and
/// squash merges) is neither and yields nothing.
/// </summary>
public sealed class AutomationSignals : ISignalFamily
{
    private const string TextNote = "the identity's name, login or email says automation (text anyone can set): automation unless any AI evidence is present";

    private const string UnknownBotNote = "a bot the catalog does not know: automation unless an AI marker is present (list it in the rules file)";

    public IEnumerable<Evidence> InPullRequest(PullRequestSnapshot pullRequest, SignalContext context)
    {
        var author = pullRequest.Author;
        if (IsUnknownBot(author, context))
        {
            yield return Unknown(Where.PrAuthor, author.Display, forgeable: !context.Facts.AuthorIsAccount);
        }
        else if (ByText(author, context) is { } text)
        {
            yield return Text(Where.PrAuthor, text);
        }
    }

    public IEnumerable<Evidence> InCommit(Commit commit, SignalContext context)
    {
        if (IsUnknownBot(commit.Author, context))
        {
            yield return Unknown(Where.InCommit(commit, "author"), Where.Identity(commit.Author), forgeable: true);
        }
        else if (ByText(commit.Author, context) is not null)
        {
            yield return Text(Where.InCommit(commit, "author"), Where.Identity(commit.Author));
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
        return looksBot && context.Identities.MatchAccount(person, context.Facts) is null;
    }

    /// <summary>
    /// Automation by identity text, for an identity neither the catalog nor the platform knows as a bot. A known
    /// bot's name on another address (<c>dependabot[bot] &lt;eve@contoso.com&gt;</c>) is a spoof and says nothing.
    /// </summary>
    private static string? ByText(Person person, SignalContext context)
        => AutomationText.Describes(person) is { } text // cheap and allocation-free: the allocating lookup comes last
            && !context.Identities.IsKnownLogin(person.Name) && !context.Identities.IsKnownLogin(person.Login)
            && context.Identities.MatchAccount(person, context.Facts) is null
                ? text
                : null;

    private static Evidence Text(string location, string matched)
        => Automation("automation-text.identity", location, matched, forgeable: true, TextNote);

    private static Evidence Unknown(string location, string matched, bool forgeable)
        => Automation("unknown-bot.identity", location, matched, forgeable, UnknownBotNote);

    private static Evidence Automation(string signal, string location, string matched, bool forgeable, string note) => new()
    {
        Signal = signal,
        Agent = AgentIds.UnknownBot,
        Location = location,
        Matched = Where.Excerpt(matched),
        Strength = SignalStrength.Medium,
        Implies = AuthorshipKind.Automation,
        Forgeable = forgeable,
        Note = note,
    };
}
