using System.Text.RegularExpressions;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Authorship;

/// <summary>
/// Identity text that says "automation" where no platform fact does: organisations' own release, formatting and CI
/// accounts commit as e.g. <c>release-bot &lt;bot@example.org&gt;</c> or <c>Jenkins &lt;jenkins@ci.acme.example&gt;</c>,
/// without a <c>[bot]</c> suffix. Looked for in the name, the login and the email's local part, as whole words:
/// <c>bot</c>, <c>bots</c>, <c>robot</c>, <c>automation</c>, a <c>&lt;purpose&gt;bot</c> word (<c>releasebot</c>,
/// <c>formatbot</c>, …), a CI system's name, or a role address (<c>ci@</c>, <c>build@</c>, <c>release@</c> …).
/// Surnames that merely end in "bot" (Talbot, Cabot) are words of their own and do not match. The text is
/// forgeable, so it only ever argues for automation, and any AI evidence outranks it.
/// </summary>
public static partial class AutomationText
{
    /// <summary>The part of the identity that says automation, or null. Allocates nothing unless it matches.</summary>
    public static string? Describes(Person person)
    {
        ArgumentNullException.ThrowIfNull(person);
        foreach (var text in (ReadOnlySpan<string?>)[person.Login, person.Name])
        {
            if (text is { Length: > 0 } && (HasAutomationWord(text) || CiSystem().IsMatch(text.AsSpan().Trim())))
            {
                return text.Trim();
            }
        }

        if (person.Email is { } email && email.IndexOf('@', StringComparison.Ordinal) is var at and > 0)
        {
            var local = email.AsSpan(0, at);
            if (RoleAddress().IsMatch(local) || HasAutomationWord(local))
            {
                return email.Trim();
            }
        }

        return null;
    }

    /// <summary>Words are runs of ASCII letters (so <c>release-bot2</c> holds "release" and "bot").</summary>
    private static bool HasAutomationWord(ReadOnlySpan<char> text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var letter = i < text.Length && char.IsAsciiLetter(text[i]);
            if (letter && start < 0)
            {
                start = i;
            }
            else if (!letter && start >= 0)
            {
                if (IsAutomationWord(text[start..i]))
                {
                    return true;
                }

                start = -1;
            }
        }

        return false;
    }

    private static bool IsAutomationWord(ReadOnlySpan<char> word)
        => word.Equals("bot", StringComparison.OrdinalIgnoreCase) || word.Equals("bots", StringComparison.OrdinalIgnoreCase)
            || word.Equals("robot", StringComparison.OrdinalIgnoreCase) || word.Equals("automation", StringComparison.OrdinalIgnoreCase)
            || PurposeBot().IsMatch(word);

    [GeneratedRegex(@"^(release|releases|build|ci|cd|deploy|format|formatter|lint|linter|docs?|sync|merge|publish|version|changelog|update|upgrade|deps|translation|auto|git|pr|repo|test|ops|infra|github|gitlab)bot$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PurposeBot();

    [GeneratedRegex(@"^(jenkins|gitlab[ -]?ci|travis[ -]?ci|circleci|buildkite|teamcity|azure pipelines|github actions|drone|bamboo|semantic-release(-bot)?)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CiSystem();

    [GeneratedRegex(@"^(ci|cd|build|builds|builder|release|releases|deploy|deployer|deployment|automation|jenkins|buildbot|ci-cd|noreply-ci|do-not-reply-ci)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RoleAddress();
}
