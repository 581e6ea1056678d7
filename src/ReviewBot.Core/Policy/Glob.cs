namespace ReviewBot.Core.Policy;

/// <summary>
/// A compiled glob over '/'-separated paths (GitHub Actions <c>paths:</c> semantics): the pattern must match
/// the whole path. <c>*</c> matches within one segment, <c>**</c> across segments (<c>**/</c> also matches
/// nothing, so <c>**/*.cs</c> matches <c>a.cs</c>), <c>?</c> one character other than '/', <c>[abc]</c>,
/// <c>[a-z]</c>, <c>[!abc]</c> a character class, <c>{a,b}</c> alternatives, <c>\</c> escapes the next character.
/// Matching simulates the pattern as an automaton: time is proportional to pattern length times path length,
/// whatever the pattern (no backtracking), and compiling costs microseconds.
/// </summary>
public sealed class Glob
{
    /// <summary>Most alternatives one pattern may expand to (<c>{a,b}{c,d}</c> is 4).</summary>
    public const int MaxAlternatives = 256;

    private readonly IReadOnlyList<Token[]> alternatives;
    private readonly bool ignoreCase;

    private Glob(string pattern, IReadOnlyList<Token[]> alternatives, bool ignoreCase)
    {
        Pattern = pattern;
        this.alternatives = alternatives;
        this.ignoreCase = ignoreCase;
    }

    public string Pattern { get; }

    public bool IsMatch(string path)
    {
        foreach (var tokens in alternatives)
        {
            if (Matches(tokens, path))
            {
                return true;
            }
        }

        return false;
    }

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

        var parser = new GlobParser(pattern);
        var sequence = parser.ParseSequence(topLevel: true);
        error = parser.Error;
        if (error is not null)
        {
            return false;
        }

        var expanded = Expand(sequence);
        if (expanded is null)
        {
            error = $"glob '{pattern}' expands to more than {MaxAlternatives} alternatives";
            return false;
        }

        glob = new Glob(pattern, expanded.Select(tokens => Fix(tokens, ignoreCase)).ToList(), ignoreCase);
        return true;
    }

    // ---- matching: a set of live token positions advanced one character at a time ------------------

    private bool Matches(Token[] tokens, string text)
    {
        var size = tokens.Length + 1;
        Span<bool> current = size <= 256 ? stackalloc bool[size] : new bool[size];
        Span<bool> next = size <= 256 ? stackalloc bool[size] : new bool[size];
        current[0] = true;
        Close(tokens, current);
        foreach (var raw in text)
        {
            var c = ignoreCase ? char.ToLowerInvariant(raw) : raw;
            next.Clear();
            var any = false;
            for (var i = 0; i < tokens.Length; i++)
            {
                if (!current[i])
                {
                    continue;
                }

                var t = tokens[i];
                switch (t.Kind)
                {
                    case TokenKind.AnyInSegment when c != '/':
                    case TokenKind.AnyAcross:
                        next[i] = any = true;
                        break;
                    case TokenKind.Literal when t.Char == c:
                    case TokenKind.One when c != '/':
                    case TokenKind.Class when c != '/' && t.Accepts(c, ignoreCase):
                        next[i + 1] = any = true;
                        break;
                }
            }

            if (!any)
            {
                return false;
            }

            Close(tokens, next);
            var swap = current;
            current = next;
            next = swap;
        }

        return current[tokens.Length];
    }

    /// <summary>Follows the moves that consume nothing (stars matching empty, an optional "**/").</summary>
    private static void Close(Token[] tokens, Span<bool> live)
    {
        for (var i = 0; i < tokens.Length; i++)
        {
            if (!live[i])
            {
                continue;
            }

            var t = tokens[i];
            if (t.Kind is TokenKind.AnyInSegment or TokenKind.AnyAcross or TokenKind.Optional)
            {
                live[i + 1] = true;
            }

            if (t.Kind == TokenKind.Optional)
            {
                live[t.SkipTo] = true;
            }
        }
    }

    // ---- compile: parse to a tree, expand {a,b} into alternatives ------------------------------------

    private static List<Token[]>? Expand(List<Node> sequence)
    {
        var results = new List<List<Token>> { new() };
        foreach (var node in sequence)
        {
            if (node.Alternatives is { } alternatives)
            {
                var options = new List<Token[]>();
                foreach (var alternative in alternatives)
                {
                    var expanded = Expand(alternative);
                    if (expanded is null)
                    {
                        return null;
                    }

                    options.AddRange(expanded);
                }

                if ((long)results.Count * options.Count > MaxAlternatives)
                {
                    return null;
                }

                results = results.SelectMany(prefix => options.Select(option => prefix.Concat(option).ToList())).ToList();
            }
            else
            {
                foreach (var result in results)
                {
                    result.AddRange(node.Tokens!);
                }
            }
        }

        return results.Select(r => r.ToArray()).ToList();
    }

    /// <summary>Resolves relative skips (an optional "**/" skips its three tokens) to absolute indexes; lowers literals when ignoring case.</summary>
    private static Token[] Fix(Token[] tokens, bool ignoreCase)
    {
        var array = tokens.ToArray();
        for (var i = 0; i < array.Length; i++)
        {
            if (array[i].Kind == TokenKind.Optional)
            {
                array[i] = array[i] with { SkipTo = i + array[i].SkipTo };
            }

            if (ignoreCase && array[i].Kind == TokenKind.Literal)
            {
                array[i] = array[i] with { Char = char.ToLowerInvariant(array[i].Char) };
            }
        }

        return array;
    }

    private enum TokenKind
    {
        Literal,
        One,
        Class,
        AnyInSegment,
        AnyAcross,

        /// <summary>Consumes nothing: enters the next tokens or skips to <c>SkipTo</c> (an optional "**/").</summary>
        Optional,
    }

    private sealed record Token(TokenKind Kind, char Char = '\0', bool Negated = false, string Set = "", int SkipTo = 0)
    {
        /// <summary>Set holds pairs: "az09" is a-z and 0-9.</summary>
        public bool Accepts(char c, bool ignoreCase)
        {
            var hit = InSet(c) || (ignoreCase && (InSet(char.ToUpperInvariant(c)) || InSet(char.ToLowerInvariant(c))));
            return hit != Negated;
        }

        private bool InSet(char c)
        {
            for (var i = 0; i + 1 < Set.Length; i += 2)
            {
                if (c >= Set[i] && c <= Set[i + 1])
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Either plain tokens or a {a,b} group of alternative sequences.</summary>
    private sealed record Node(List<Token>? Tokens, List<List<Node>>? Alternatives);

    private sealed class GlobParser(string pattern)
    {
        private int index;

        public string? Error { get; private set; }

        public List<Node> ParseSequence(bool topLevel)
        {
            var nodes = new List<Node>();
            while (index < pattern.Length && Error is null)
            {
                var c = pattern[index];
                if (!topLevel && (c == ',' || c == '}'))
                {
                    return nodes;
                }

                if (c == '{')
                {
                    index++;
                    var alternatives = new List<List<Node>> { ParseSequence(topLevel: false) };
                    while (index < pattern.Length && pattern[index] == ',' && Error is null)
                    {
                        index++;
                        alternatives.Add(ParseSequence(topLevel: false));
                    }

                    if (Error is null && (index >= pattern.Length || pattern[index] != '}'))
                    {
                        Error = $"unclosed '{{' in glob '{pattern}'";
                        return nodes;
                    }

                    index++;
                    nodes.Add(new Node(null, alternatives));
                    continue;
                }

                if (ParseToken() is { } tokens)
                {
                    nodes.Add(new Node(tokens, null));
                }
            }

            return nodes;
        }

        private List<Token>? ParseToken()
        {
            var c = pattern[index];
            switch (c)
            {
                case '*':
                    return Star();
                case '?':
                    index++;
                    return [new Token(TokenKind.One)];
                case '[':
                    return CharacterClass();
                case '\\':
                    if (index + 1 >= pattern.Length)
                    {
                        Error = $"glob '{pattern}' ends with a lone '\\'";
                        return null;
                    }

                    index += 2;
                    return [new Token(TokenKind.Literal, pattern[index - 1])];
                default:
                    index++;
                    return [new Token(TokenKind.Literal, c)];
            }
        }

        private List<Token> Star()
        {
            var start = index;
            while (index < pattern.Length && pattern[index] == '*')
            {
                index++;
            }

            if (index - start == 1)
            {
                return [new Token(TokenKind.AnyInSegment)];
            }

            var atSegmentStart = start == 0 || pattern[start - 1] == '/';
            if (atSegmentStart && index < pattern.Length && pattern[index] == '/')
            {
                // "**/": zero or more whole directories, i.e. nothing, or anything ending in '/'.
                index++;
                return [new Token(TokenKind.Optional, SkipTo: 3), new Token(TokenKind.AnyAcross), new Token(TokenKind.Literal, '/')];
            }

            return [new Token(TokenKind.AnyAcross)];
        }

        private List<Token>? CharacterClass()
        {
            var start = index;
            var i = index + 1;
            var negate = i < pattern.Length && (pattern[i] == '!' || pattern[i] == '^');
            if (negate)
            {
                i++;
            }

            var set = new System.Text.StringBuilder();
            var first = true;
            while (i < pattern.Length && (pattern[i] != ']' || first))
            {
                var ch = pattern[i];
                if (ch == '/')
                {
                    Error = $"'/' inside a character class in glob '{pattern}' (column {i + 1} of the pattern)";
                    return null;
                }

                if (ch == '\\' && i + 1 < pattern.Length)
                {
                    i++;
                    ch = pattern[i];
                }

                var to = ch;
                if (i + 2 < pattern.Length && pattern[i + 1] == '-' && pattern[i + 2] != ']')
                {
                    to = pattern[i + 2];
                    i += 2;
                    if (to < ch)
                    {
                        Error = $"reversed range '{ch}-{to}' in glob '{pattern}'";
                        return null;
                    }
                }

                set.Append(ch).Append(to);
                first = false;
                i++;
            }

            if (i >= pattern.Length)
            {
                Error = $"unclosed '[' at position {start + 1} of glob '{pattern}'";
                return null;
            }

            index = i + 1;
            return [new Token(TokenKind.Class, Negated: negate, Set: set.ToString())];
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
