using System.Text;
using System.Text.RegularExpressions;

namespace ReviewBot.Core.Policy;

/// <summary>
/// A compiled glob over '/'-separated paths (GitHub Actions <c>paths:</c> semantics): the pattern must match
/// the whole path. <c>*</c> matches within one segment, <c>**</c> across segments (<c>**/</c> also matches
/// nothing, so <c>**/*.cs</c> matches <c>a.cs</c>), <c>?</c> one character other than '/', <c>[abc]</c>,
/// <c>[a-z]</c>, <c>[!abc]</c> a character class, <c>{a,b}</c> alternatives, <c>\</c> escapes the next character.
/// Matching runs in linear time (non-backtracking regex), whatever the pattern.
/// </summary>
public sealed class Glob
{
    private readonly Regex regex;

    private Glob(string pattern, Regex regex)
    {
        Pattern = pattern;
        this.regex = regex;
    }

    public string Pattern { get; }

    public bool IsMatch(string path) => regex.IsMatch(path);

    public override string ToString() => Pattern;

    /// <summary>Compiles a glob; throws <see cref="FormatException"/> with the reason when the pattern is invalid.</summary>
    public static Glob Compile(string pattern, bool ignoreCase = false)
        => TryCompile(pattern, ignoreCase, out var glob, out var error) ? glob : throw new FormatException(error);

    /// <summary>Compiles a glob; on failure returns false with a sentence saying what is wrong.</summary>
    public static bool TryCompile(string pattern, bool ignoreCase, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Glob? glob, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        glob = null;
        if (string.IsNullOrEmpty(pattern))
        {
            error = "empty glob pattern";
            return false;
        }

        var builder = new StringBuilder("^");
        var translator = new Translator(pattern);
        error = translator.Translate(builder);
        if (error is not null)
        {
            return false;
        }

        builder.Append('$');
        var options = RegexOptions.CultureInvariant | RegexOptions.NonBacktracking | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
        glob = new Glob(pattern, new Regex(builder.ToString(), options));
        return true;
    }

    private sealed class Translator(string pattern)
    {
        private int index;
        private int braceDepth;

        public string? Translate(StringBuilder output)
        {
            while (index < pattern.Length)
            {
                var c = pattern[index];
                string? error = c switch
                {
                    '*' => Star(output),
                    '?' => Single(output, "[^/]"),
                    '[' => CharacterClass(output),
                    '{' => OpenBrace(output),
                    '}' when braceDepth > 0 => CloseBrace(output),
                    ',' when braceDepth > 0 => Single(output, "|"),
                    '\\' => Escape(output),
                    _ => Single(output, Regex.Escape(c.ToString())),
                };
                if (error is not null)
                {
                    return error;
                }
            }

            return braceDepth > 0 ? $"unclosed '{{' in glob '{pattern}'" : null;
        }

        private string? Single(StringBuilder output, string text)
        {
            output.Append(text);
            index++;
            return null;
        }

        private string? Star(StringBuilder output)
        {
            var doubleStar = index + 1 < pattern.Length && pattern[index + 1] == '*';
            if (!doubleStar)
            {
                return Single(output, "[^/]*");
            }

            var atSegmentStart = index == 0 || pattern[index - 1] == '/';
            var end = index + 2;
            while (end < pattern.Length && pattern[end] == '*')
            {
                end++;
            }

            if (atSegmentStart && end < pattern.Length && pattern[end] == '/')
            {
                // "**/" : zero or more whole directories.
                output.Append("(?:.*/)?");
                index = end + 1;
                return null;
            }

            output.Append(".*");
            index = end;
            return null;
        }

        private string? CharacterClass(StringBuilder output)
        {
            var start = index;
            var i = index + 1;
            var negate = i < pattern.Length && (pattern[i] == '!' || pattern[i] == '^');
            if (negate)
            {
                i++;
            }

            var body = new StringBuilder();
            var first = true;
            while (i < pattern.Length && (pattern[i] != ']' || first))
            {
                var ch = pattern[i];
                if (ch == '/')
                {
                    return $"'/' inside a character class in glob '{pattern}' (column {i + 1} of the pattern)";
                }

                if (ch == '\\' && i + 1 < pattern.Length)
                {
                    i++;
                    ch = pattern[i];
                }

                body.Append(ch == '-' && !first && i + 1 < pattern.Length && pattern[i + 1] != ']' ? "-" : EscapeInClass(ch));
                first = false;
                i++;
            }

            if (i >= pattern.Length)
            {
                return $"unclosed '[' at position {start + 1} of glob '{pattern}'";
            }

            output.Append(negate ? "[^/" : "[").Append(body).Append(']');
            index = i + 1;
            return null;
        }

        private static string EscapeInClass(char c) => c is '\\' or ']' or '[' or '^' or '-' ? "\\" + c : c.ToString();

        private string? OpenBrace(StringBuilder output)
        {
            braceDepth++;
            return Single(output, "(?:");
        }

        private string? CloseBrace(StringBuilder output)
        {
            braceDepth--;
            return Single(output, ")");
        }

        private string? Escape(StringBuilder output)
        {
            if (index + 1 >= pattern.Length)
            {
                return $"glob '{pattern}' ends with a lone '\\'";
            }

            output.Append(Regex.Escape(pattern[index + 1].ToString()));
            index += 2;
            return null;
        }
    }
}

/// <summary>
/// Globs with <c>!</c> exclusions: a value matches when it matches at least one include (or there are
/// only exclusions) and no exclusion.
/// </summary>
public sealed record PatternSet(IReadOnlyList<Glob> Include, IReadOnlyList<Glob> Exclude)
{
    public bool IsMatch(string value)
        => (Include.Count == 0 || Include.Any(g => g.IsMatch(value))) && !Exclude.Any(g => g.IsMatch(value));

    /// <summary>The patterns as written, e.g. <c>src/**, !src/generated/**</c>.</summary>
    public string Describe() => string.Join(", ", Include.Select(g => g.Pattern).Concat(Exclude.Select(g => "!" + g.Pattern)));

    /// <summary>Compiles patterns where a leading '!' marks an exclusion; errors carry the pattern's index.</summary>
    public static PatternSet Compile(IEnumerable<string> patterns, bool ignoreCase, Action<int, string> onError)
    {
        var include = new List<Glob>();
        var exclude = new List<Glob>();
        var i = 0;
        foreach (var raw in patterns)
        {
            var negated = raw.StartsWith('!');
            var text = negated ? raw[1..] : raw;
            if (Glob.TryCompile(text, ignoreCase, out var glob, out var error))
            {
                (negated ? exclude : include).Add(glob);
            }
            else
            {
                onError(i, error);
            }

            i++;
        }

        return new PatternSet(include, exclude);
    }

    /// <summary>For tests and code: compiles or throws <see cref="FormatException"/>.</summary>
    public static PatternSet Parse(params string[] patterns)
        => Compile(patterns, ignoreCase: false, (_, error) => throw new FormatException(error));
}
