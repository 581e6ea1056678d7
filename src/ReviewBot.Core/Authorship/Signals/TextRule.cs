using System.Text.RegularExpressions;

namespace ReviewBot.Core.Authorship.Signals;

/// <summary>
/// One text marker of the catalog: a pattern, the agent it names, how strong it is and what it argues for.
/// Used by the trailer, message, body, branch and label families.
/// </summary>
public sealed record TextRule(string Signal, string? Agent, Regex Pattern, SignalStrength Strength, AuthorshipKind Implies)
{
    /// <summary>A naming convention: alone it gives at most ai-assisted (see <see cref="Evidence"/>).</summary>
    public bool NeedsCorroboration { get; init; }

    public string? Note { get; init; }

    public const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Multiline | RegexOptions.Compiled;

    public static TextRule Of(string signal, string? agent, string pattern, SignalStrength strength, AuthorshipKind implies, string? note = null)
        => new(signal, agent, new Regex(pattern, Options, TimeSpan.FromSeconds(1)), strength, implies) { Note = note };

    /// <summary>The evidence for one match of this rule in <paramref name="text"/>, or null.</summary>
    public Evidence? Find(string text, string location, bool forgeable = true)
    {
        var match = Pattern.Match(text);
        return match.Success ? ToEvidence(match.Value, location, forgeable) : null;
    }

    public Evidence ToEvidence(string matched, string location, bool forgeable = true) => new()
    {
        Signal = Signal,
        Agent = Agent,
        Location = location,
        Matched = Where.Excerpt(matched),
        Strength = Strength,
        Implies = Implies,
        Note = Note,
        Forgeable = forgeable,
        NeedsCorroboration = NeedsCorroboration,
    };
}
