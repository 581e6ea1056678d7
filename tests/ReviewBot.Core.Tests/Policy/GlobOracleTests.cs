using System.Text;
using System.Text.RegularExpressions;
using ReviewBot.Core.Policy;

namespace ReviewBot.Core.Tests.Policy;

/// <summary>
/// The hand-written glob automaton agrees with a straightforward regex translation (backtracking, fine for
/// these short inputs) on many generated patterns and paths.
/// </summary>
public sealed class GlobOracleTests
{
    private static readonly string[] Pieces = ["a", "b", "/", "*", "**", "**/", "?", "[ab]", "[!a]", "{a,b/}", ".", "c"];
    private static readonly char[] PathChars = ['a', 'b', 'c', '/', '.'];

    [Fact]
    public void Automaton_matches_the_regex_oracle()
    {
        var random = new Random(20261126);
        var checkedPairs = 0;
        for (var p = 0; p < 400; p++)
        {
            var pattern = string.Concat(Enumerable.Range(0, random.Next(1, 6)).Select(_ => Pieces[random.Next(Pieces.Length)]));
            var glob = Glob.Compile(pattern);
            var oracle = new Regex(Oracle(pattern), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(5));
            for (var t = 0; t < 40; t++)
            {
                var path = new string(Enumerable.Range(0, random.Next(0, 9)).Select(_ => PathChars[random.Next(PathChars.Length)]).ToArray());
                Assert.True(oracle.IsMatch(path) == glob.IsMatch(path), $"pattern '{pattern}' on '{path}': oracle {oracle.IsMatch(path)}, glob {glob.IsMatch(path)}");
                checkedPairs++;
            }
        }

        Assert.Equal(400 * 40, checkedPairs);
    }

    /// <summary>The documented semantics as a regex, for the pieces above (no escapes, ranges or nesting).</summary>
    private static string Oracle(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length;)
        {
            if (pattern[i] == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                var end = i;
                while (end < pattern.Length && pattern[end] == '*')
                {
                    end++;
                }

                var segmentStart = i == 0 || pattern[i - 1] == '/';
                if (segmentStart && end < pattern.Length && pattern[end] == '/')
                {
                    regex.Append("(?:.*/)?");
                    i = end + 1;
                }
                else
                {
                    regex.Append(".*");
                    i = end;
                }

                continue;
            }

            switch (pattern[i])
            {
                case '*':
                    regex.Append("[^/]*");
                    i++;
                    break;
                case '?':
                    regex.Append("[^/]");
                    i++;
                    break;
                case '[':
                    var close = pattern.IndexOf(']', i + 2);
                    var body = pattern[(i + 1)..close];
                    regex.Append(body.StartsWith('!') ? "[^/" + body[1..] + "]" : "[" + body + "]");
                    i = close + 1;
                    break;
                case '{':
                    regex.Append("(?:");
                    i++;
                    break;
                case '}':
                    regex.Append(')');
                    i++;
                    break;
                case ',':
                    regex.Append('|');
                    i++;
                    break;
                default:
                    regex.Append(Regex.Escape(pattern[i].ToString()));
                    i++;
                    break;
            }
        }

        return regex.Append('$').ToString();
    }
}
